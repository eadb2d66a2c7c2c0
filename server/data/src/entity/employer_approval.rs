use domain::status::ApprovalStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "employer_approvals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employer_id: i64,
    pub school_id: i64,
    pub status: ApprovalStatus,
    pub reason: String,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
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
        belongs_to = "super::school::Entity",
        from = "Column::SchoolId",
        to = "super::school::Column::Id"
    )]
    School,
}

impl Related<super::employer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Employer.def()
    }
}

impl Related<super::school::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::School.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
