use domain::Role;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub login: String,
    pub password_hash: String,
    pub role: Role,
    pub display_name: String,
    pub school_id: Option<i64>,
    pub college_id: Option<i64>,
    pub student_id: Option<i64>,
    pub employer_id: Option<i64>,
    pub disabled: bool,
    pub phone_verified_at: Option<DateTimeUtc>,
    pub last_login_at: Option<DateTimeUtc>,
    pub last_login_ip: Option<String>,
    pub created_at: DateTimeUtc,
    /// Set by whoever chose the password for the owner (operator, reset): the owner must
    /// choose a new one before anything else.
    pub must_change_password: bool,
    pub password_changed_at: Option<DateTimeUtc>,
    /// An admin's daily e-mail digest of their review queue (off until they switch it on).
    pub review_digest: bool,
    /// Where that digest goes.
    pub digest_email: String,
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
    #[sea_orm(has_many = "super::session::Entity")]
    Sessions,
    #[sea_orm(has_many = "super::notification::Entity")]
    Notifications,
    #[sea_orm(has_many = "super::verification_code::Entity")]
    VerificationCodes,
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

impl Related<super::session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl Related<super::notification::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Notifications.def()
    }
}

impl Related<super::verification_code::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VerificationCodes.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
