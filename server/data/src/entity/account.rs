use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub login: String,
    pub password_hash: String,
    /// domain::Role::as_str
    pub role: String,
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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
