//! Indexes for 生源管理's list (`service::roster::filtered`), which pages through a school's or a
//! college's records in the order school, 学院, id, at a province's scale (500,000 students):
//! - `ix_students_list` (school_id, college_id, id): a page of a scope, or of one 学院, is one
//!   index range in list order, and its count an index-only scan;
//! - `ix_students_status_list` (school_id, roster_status, college_id, id): the same for 待审核 /
//!   已审核 (生源审核 works through the 待审核 list);
//! - `ix_students_name` (name): 姓名, exact, in any scope (a 身份证号 uses
//!   `ux_students_person_year`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &[&str]); 3] = [
    ("ix_students_list", &["school_id", "college_id", "id"]),
    (
        "ix_students_status_list",
        &["school_id", "roster_status", "college_id", "id"],
    ),
    ("ix_students_name", &["name"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, cols) in INDEXES {
            let mut index = Index::create();
            index.name(name).table("students");
            for c in cols {
                index.col(*c);
            }
            m.create_index(index).await?;
        }
        Ok(())
    }
}
