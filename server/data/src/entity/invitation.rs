use domain::status::InvitationStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employer_id: i64,
    pub student_id: i64,
    pub status: InvitationStatus,
    pub position: String,
    pub job_category: String,
    pub work_place: String,
    pub salary: String,
    pub contract_term: String,
    pub probation: String,
    pub other_terms: String,
    pub archive_unit: String,
    pub archive_address: String,
    pub archive_postcode: String,
    pub archive_contact: String,
    pub archive_phone: String,
    pub hukou_address: String,
    pub hukou_unit: String,
    pub deadline: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub responded_at: Option<DateTimeUtc>,
    pub reminded_at: Option<DateTimeUtc>,
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
    #[sea_orm(has_many = "super::agreement::Entity")]
    Agreements,
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

impl Related<super::agreement::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Agreements.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
