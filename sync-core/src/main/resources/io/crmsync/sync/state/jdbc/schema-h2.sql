-- crmsync state store, schema version 2, for H2 (2.x).
-- JdbcStateStore runs this itself unless built with migrate(false); hosts that manage their
-- schema with Flyway or Liquibase copy it into a migration instead. Every statement is
-- idempotent, so the script also upgrades a version 1 schema.
create table if not exists crmsync_schema (version int not null);
create table if not exists crmsync_snapshot (contact_key bigint primary key, version bigint not null,
  fingerprint varchar(100) not null, payload varchar(1000000) not null, updated_at bigint not null);
create table if not exists crmsync_cursor (name varchar(200) primary key, cursor_value varchar(4000) not null,
  updated_at bigint not null);
create table if not exists crmsync_processed (namespace varchar(100) not null, event_id varchar(400) not null,
  processed_at bigint not null, primary key (namespace, event_id));
create table if not exists crmsync_quarantine (kind varchar(100) not null, record_id varchar(400) not null,
  reason varchar(4000) not null, at bigint not null, attempts int not null, primary key (kind, record_id));
-- Version 2: the payload a quarantined record needs to be retried (reverse-sync events).
alter table crmsync_quarantine add column if not exists payload varchar(1000000);
create table if not exists crmsync_query_member (query_key bigint not null, contact_key bigint not null,
  primary key (query_key, contact_key));
create table if not exists crmsync_lease (job varchar(200) primary key, owner varchar(200) not null,
  expires_at bigint not null);
insert into crmsync_schema (version) select 2 where not exists (select 1 from crmsync_schema);
update crmsync_schema set version = 2 where version < 2;
