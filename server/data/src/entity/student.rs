use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "students")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub school_id: i64,
    pub college_id: i64,
    pub major: String,
    pub degree: String,
    pub graduation_year: i32,
    pub name: String,
    pub gender: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    /// 非定向 | 定向 | 委培
    pub training_mode: String,
    pub origin: String,
    /// pending | approved (生源信息审核)
    pub roster_status: String,
    /// 限制签约
    pub restricted: bool,
    /// 就业方案已提交
    pub plan_submitted: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
