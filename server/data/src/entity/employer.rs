use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "employers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub email: String,
    pub address: String,
    pub nature: String,
    pub industry: String,
    pub archive_unit: String,
    pub archive_address: String,
    pub archive_postcode: String,
    pub archive_contact: String,
    pub archive_phone: String,
    pub hukou_address: String,
    pub hukou_unit: String,
    pub info_confirmed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// 所在地区
    pub region: String,
    /// `domain::registration::LicenceType`'s code; empty while no 营业执照 is uploaded.
    pub licence_type: String,
    /// The 营业执照's token in the upload store (`uploads::Kind::Licence`).
    pub licence_token: String,
    /// Until set, no school sees the registration.
    pub email_confirmed_at: Option<DateTimeUtc>,
    /// SHA-256 of the token the confirmation e-mail carries.
    pub email_token_hash: Option<String>,
    pub email_token_expires_at: Option<DateTimeUtc>,
    /// Set while the province has frozen the employer (its reason).
    pub frozen_reason: Option<String>,
    pub frozen_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::employer_approval::Entity")]
    EmployerApprovals,
    #[sea_orm(has_many = "super::account::Entity")]
    Accounts,
    #[sea_orm(has_many = "super::sign_list::Entity")]
    SignList,
    #[sea_orm(has_many = "super::invitation::Entity")]
    Invitations,
    #[sea_orm(has_many = "super::agreement::Entity")]
    Agreements,
}

impl Related<super::employer_approval::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::EmployerApprovals.def()
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
