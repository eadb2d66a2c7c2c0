//! One school per person and 毕业届: a graduate's roster record is kept by the school they
//! graduate from. Until now only (school, 毕业届, 身份证号) was unique, so two schools could each
//! enter the same person for the same year and both let them sign. Schools now enter their own
//! rosters (生源管理, 生源导入), so the database holds the rule.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ux_students_person_year")
                .table("students")
                .col("id_number")
                .col("graduation_year")
                .unique()
                .to_owned(),
        )
        .await
    }
}
