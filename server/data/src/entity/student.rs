use domain::status::RosterStatus;
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
    /// 生源信息审核
    pub roster_status: RosterStatus,
    /// 限制签约
    pub restricted: bool,
    /// 就业方案已提交
    pub plan_submitted: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::school::Entity",
        from = "Column::SchoolId",
        to = "super::school::Column::Id"
    )]
    School,
    #[sea_orm(
        belongs_to = "super::college::Entity",
        from = "Column::CollegeId",
        to = "super::college::Column::Id"
    )]
    College,
    #[sea_orm(has_many = "super::account::Entity")]
    Accounts,
    #[sea_orm(has_many = "super::sign_list::Entity")]
    SignList,
    #[sea_orm(has_many = "super::invitation::Entity")]
    Invitations,
    #[sea_orm(has_many = "super::agreement::Entity")]
    Agreements,
}

impl Related<super::school::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::School.def()
    }
}

impl Related<super::college::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::College.def()
    }
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Accounts.def()
    }
}

impl Related<super::sign_list::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SignList.def()
    }
}

impl Related<super::invitation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invitations.def()
    }
}

impl Related<super::agreement::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Agreements.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
