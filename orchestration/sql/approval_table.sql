-- audit.plan_approvals: one row per approval, append-only (approving again adds a row).
create schema if not exists audit;
create table if not exists audit.plan_approvals (
    approval_id varchar primary key,
    cycle_month date not null,
    scenario varchar not null,
    approved_by varchar not null,
    approved_at timestamp not null,
    note varchar
);
