use domain::status::{AgreementStatus, EngagementKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agreement_no: String,
    pub verify_code: String,
    pub kind: EngagementKind,
    pub student_id: i64,
    pub employer_id: Option<i64>,
    pub invitation_id: Option<i64>,
    pub status: AgreementStatus,
    pub employer_name: String,
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
    pub details: String,
    pub review_reason: String,
    pub certified_at: Option<DateTimeUtc>,
    pub certified_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::student::Entity",
        from = "Column::StudentId",
        to = "super::student::Column::Id"
    )]
    Student,
    #[sea_orm(
        belongs_to = "super::employer::Entity",
        from = "Column::EmployerId",
        to = "super::employer::Column::Id"
    )]
    Employer,
    #[sea_orm(
        belongs_to = "super::invitation::Entity",
        from = "Column::InvitationId",
        to = "super::invitation::Column::Id"
    )]
    Invitation,
    #[sea_orm(has_many = "super::termination::Entity")]
    Terminations,
}

impl Related<super::student::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Student.def()
    }
}

impl Related<super::employer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Employer.def()
    }
}

impl Related<super::invitation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invitation.def()
    }
}

impl Related<super::termination::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Terminations.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
