use sea_orm::entity::prelude::*;

/// 签约过程记录: every state change with who, when, what and why (SPEC rule 7).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "process_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub student_id: Option<i64>,
    pub agreement_id: Option<i64>,
    pub invitation_id: Option<i64>,
    pub termination_id: Option<i64>,
    pub actor_account_id: Option<i64>,
    /// Who, as shown: role and name.
    pub actor: String,
    /// What, in the manual's words.
    pub action: String,
    pub reason: String,
    pub created_at: DateTimeUtc,
    /// An employer's own 变更记录 (registration, review, 冻结, 单位信息维护).
    pub employer_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
