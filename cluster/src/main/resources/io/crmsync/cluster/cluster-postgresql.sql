-- crmsync cluster tables, for PostgreSQL. ClusterNode runs this itself unless built with
-- migrate(false); every statement is idempotent. Tenants' own state lives in a schema per tenant
-- (crmsync_t_<id>), made by TenantStateStores.
-- db-scheduler's table, as its documentation gives it for PostgreSQL (version 16).
create table if not exists scheduled_tasks (task_name text not null, task_instance text not null,
  task_data bytea, execution_time timestamp with time zone not null, picked boolean not null,
  picked_by text, last_success timestamp with time zone, last_failure timestamp with time zone,
  consecutive_failures int, last_heartbeat timestamp with time zone, version bigint not null,
  priority smallint, primary key (task_name, task_instance));
create index if not exists execution_time_idx on scheduled_tasks (execution_time);
create index if not exists last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index if not exists priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
-- Nodes fetch by priority (descending, where PostgreSQL puts nulls first): every row has one.
update scheduled_tasks set priority = 50 where priority is null;
-- The tenants: configuration as JSON (secret references only, never values).
create table if not exists crmsync_tenant (id varchar(40) primary key, config text not null,
  paused boolean not null, version bigint not null, updated_at timestamp with time zone not null);
-- The request budget of each APSIS account, shared by every node: the theoretical arrival time
-- of the next request (GCRA).
create table if not exists crmsync_cluster_rate (account varchar(200) primary key,
  tat timestamp with time zone not null);
-- Every exclusive run of a tenant's job: which node ran it, under which execution version, and how
-- it ended (null while running or when its node died).
create table if not exists crmsync_cluster_run (id bigserial primary key, tenant varchar(40) not null,
  job varchar(40) not null, node varchar(200) not null, execution_version bigint not null,
  started_at timestamp with time zone not null, ended_at timestamp with time zone,
  outcome varchar(40), detail varchar(400));
create index if not exists crmsync_cluster_run_tenant on crmsync_cluster_run (tenant, job, started_at);
-- When the run's execution was due: started_at - due_at is how late it started (0.2).
alter table crmsync_cluster_run add column if not exists due_at timestamp with time zone;
-- The nodes: each running node beats here every second (with its database check), for `crmsync
-- status`; a node that stops deletes its row, a killed one stays until it is an hour silent.
create table if not exists crmsync_cluster_node (name varchar(200) primary key,
  started_at timestamp with time zone not null, last_seen timestamp with time zone not null);
