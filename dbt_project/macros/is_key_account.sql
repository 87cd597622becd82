{#- Whether a customer tier is a key-account tier (var key_account_tiers, from company settings). -#}
{% macro is_key_account(tier_column) -%}
    {%- set tiers = var('key_account_tiers') -%}
    {%- if tiers | length == 0 -%} false
    {%- else -%} {{ tier_column }} in ({% for t in tiers %}'{{ t | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor %})
    {%- endif -%}
{%- endmacro %}
