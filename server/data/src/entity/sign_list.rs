use sea_orm::entity::prelude::*;

/// 签约发送列表: students an employer plans to invite.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sign_list")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employer_id: i64,
    pub student_id: i64,
    pub added_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::employer::Entity",
        from = "Column::EmployerId",
        to = "super::employer::Column::Id"
    )]
    Employer,
    #[sea_orm(
        belongs_to = "super::student::Entity",
        from = "Column::StudentId",
        to = "super::student::Column::Id"
    )]
    Student,
}

impl Related<super::employer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Employer.def()
    }
}

impl Related<super::student::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Student.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
