{#- Keyed one-way hash of a personal-data column: records stay matchable, but a name cannot be
    recovered by hashing guesses without the secret key (SOP_PII_KEY, set outside the demo; the
    platform refuses to build a company's warehouse without one). SHA-256 of key || value where
    the engine has it; dbt's cross-database hash elsewhere. -#}
{% macro hash_personal_data(column) -%}
    {{ return(adapter.dispatch('hash_personal_data')(column)) }}
{%- endmacro %}

{% macro pii_key() -%}
    {{ return(env_var('SOP_PII_KEY', 'sop-demo-company-key')) }}
{%- endmacro %}

{% macro default__hash_personal_data(column) -%}
    {{ dbt.hash(dbt.concat(["'" ~ pii_key() | replace("'", "''") ~ "'", "cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")"])) }}
{%- endmacro %}

{% macro duckdb__hash_personal_data(column) -%}
    sha256('{{ pii_key() | replace("'", "''") }}' || cast({{ column }} as varchar))
{%- endmacro %}
