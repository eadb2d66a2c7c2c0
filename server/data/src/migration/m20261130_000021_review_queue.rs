//! Indexes for the review queues and counters at a province's scale (200,000 agreements):
//! - `ix_agreements_queue` (status, created_at, id): a status's queue in its order (oldest
//!   waiting first), so the province's first page is an index range and its count index-only;
//! - `ix_agreements_student_status` (student_id, status): a school's or college's count and
//!   page, reached from its students;
//! - `ix_terminations_queue` (status, updated_at, id): likewise for 解约;
//! - `ix_accounts_admin_scope` (school_id, role): the admins to notify of a new item.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str, &[&str]); 4] = [
    ("agreements", "ix_agreements_queue", &["status", "created_at", "id"]),
    ("agreements", "ix_agreements_student_status", &["student_id", "status"]),
    ("terminations", "ix_terminations_queue", &["status", "updated_at", "id"]),
    ("accounts", "ix_accounts_admin_scope", &["school_id", "role"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, cols) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(table);
            for c in cols {
                index.col(*c);
            }
            m.create_index(index).await?;
        }
        Ok(())
    }
}
