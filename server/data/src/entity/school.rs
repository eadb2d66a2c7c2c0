use domain::status::ReviewMode;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "schools")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub created_at: DateTimeUtc,
    /// 审核方式 of the school's agreements and terminations (`domain::review`).
    pub review_mode: ReviewMode,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::college::Entity")]
    Colleges,
    #[sea_orm(has_many = "super::employer_approval::Entity")]
    EmployerApprovals,
    #[sea_orm(has_many = "super::student::Entity")]
    Students,
    #[sea_orm(has_many = "super::account::Entity")]
    Accounts,
}

impl Related<super::college::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Colleges.def()
    }
}

impl Related<super::employer_approval::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::EmployerApprovals.def()
    }
}

impl Related<super::student::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Students.def()
    }
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Accounts.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
