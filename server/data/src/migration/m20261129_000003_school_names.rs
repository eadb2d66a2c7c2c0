//! A school's name is unique like its 院校代码: employers pick schools by name (签约搜索, the
//! 拟签约名单 import matches the 学校 column by name), so two schools of one name would be a
//! trap. Schools are now made by the province admin (学校管理), not only by the demo seed.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ux_schools_name")
                .table("schools")
                .col("name")
                .unique()
                .to_owned(),
        )
        .await
    }
}
