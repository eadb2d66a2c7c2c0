//! The whole domain of SPEC.md as far as the first issues need it: accounts and sessions,
//! schools and colleges, the roster, employers and their approvals, the 签约发送列表,
//! invitations, engagements (online/paper/other), terminations, the process log,
//! notifications, the mail/SMS outbox and verification codes.
//!
//! The invariants that must hold under concurrency are unique indexes here, not only code:
//! one active engagement per student, one pending invitation per employer and student, one
//! open termination per engagement.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(table: &'static str, col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(table, col)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn index(table: &'static str, name: &str, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(*c);
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

/// 档案接收信息 and 户口接收信息 columns, shared by employers (defaults), invitations and
/// engagements (the values agreed).
fn receiver_columns(t: &mut TableCreateStatement) {
    t.col(string("archive_unit").default(""))
        .col(string("archive_address").default(""))
        .col(string("archive_postcode").default(""))
        .col(string("archive_contact").default(""))
        .col(string("archive_phone").default(""))
        .col(string("hukou_address").default(""))
        .col(string("hukou_unit").default(""));
}

/// 签约信息 columns of a 邀请函 and the agreement made from it.
fn signing_columns(t: &mut TableCreateStatement) {
    t.col(string("position").default(""))
        .col(string("job_category").default(""))
        .col(string("work_place").default(""))
        .col(string("salary").default(""))
        .col(string("contract_term").default(""))
        .col(string("probation").default(""))
        .col(text("other_terms").default(""));
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let tables: Vec<TableCreateStatement> = vec![
            Table::create()
                .table("schools")
                .col(big_pk_auto("id"))
                .col(string_uniq("code"))
                .col(string("name"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
            Table::create()
                .table("colleges")
                .col(big_pk_auto("id"))
                .col(big_integer("school_id"))
                .col(string("name"))
                .foreign_key(&mut fk("colleges", "school_id", "schools"))
                .to_owned(),
            {
                let mut t = Table::create();
                t.table("employers")
                    .col(big_pk_auto("id"))
                    .col(string("name"))
                    .col(string_uniq("credit_code"))
                    .col(string("contact_person").default(""))
                    .col(string("contact_phone").default(""))
                    .col(string("email").default(""))
                    .col(string("address").default(""))
                    .col(string("nature").default(""))
                    .col(string("industry").default(""));
                receiver_columns(&mut t);
                t.col(timestamp_with_time_zone_null("info_confirmed_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned()
            },
            Table::create()
                .table("employer_approvals")
                .col(big_pk_auto("id"))
                .col(big_integer("employer_id"))
                .col(big_integer("school_id"))
                .col(string("status"))
                .col(string("reason").default(""))
                .col(big_integer_null("reviewed_by"))
                .col(timestamp_with_time_zone_null("reviewed_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("employer_approvals", "employer_id", "employers"))
                .foreign_key(&mut fk("employer_approvals", "school_id", "schools"))
                .to_owned(),
            Table::create()
                .table("students")
                .col(big_pk_auto("id"))
                .col(big_integer("school_id"))
                .col(big_integer("college_id"))
                .col(string("major"))
                .col(string("degree"))
                .col(integer("graduation_year"))
                .col(string("name"))
                .col(string("gender"))
                .col(string("id_number"))
                .col(string("phone"))
                .col(string("email").default(""))
                .col(string("training_mode"))
                .col(string("origin").default(""))
                .col(string("roster_status"))
                .col(boolean("restricted").default(false))
                .col(boolean("plan_submitted").default(false))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("students", "school_id", "schools"))
                .foreign_key(&mut fk("students", "college_id", "colleges"))
                .to_owned(),
            Table::create()
                .table("accounts")
                .col(big_pk_auto("id"))
                .col(string_uniq("login"))
                .col(string("password_hash"))
                .col(string("role"))
                .col(string("display_name"))
                .col(big_integer_null("school_id"))
                .col(big_integer_null("college_id"))
                .col(big_integer_null("student_id"))
                .col(big_integer_null("employer_id"))
                .col(boolean("disabled").default(false))
                .col(timestamp_with_time_zone_null("phone_verified_at"))
                .col(timestamp_with_time_zone_null("last_login_at"))
                .col(string_null("last_login_ip"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("accounts", "school_id", "schools"))
                .foreign_key(&mut fk("accounts", "college_id", "colleges"))
                .foreign_key(&mut fk("accounts", "student_id", "students"))
                .foreign_key(&mut fk("accounts", "employer_id", "employers"))
                .to_owned(),
            Table::create()
                .table("sessions")
                .col(string("id").primary_key())
                .col(big_integer("account_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(string_null("ip"))
                .foreign_key(fk("sessions", "account_id", "accounts").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
            Table::create()
                .table("login_throttle")
                .col(string("login").primary_key())
                .col(integer("failures"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
            Table::create()
                .table("sign_list")
                .col(big_pk_auto("id"))
                .col(big_integer("employer_id"))
                .col(big_integer("student_id"))
                .col(timestamp_with_time_zone("added_at"))
                .foreign_key(&mut fk("sign_list", "employer_id", "employers"))
                .foreign_key(&mut fk("sign_list", "student_id", "students"))
                .to_owned(),
            {
                let mut t = Table::create();
                t.table("invitations")
                    .col(big_pk_auto("id"))
                    .col(big_integer("employer_id"))
                    .col(big_integer("student_id"))
                    .col(string("status"));
                signing_columns(&mut t);
                receiver_columns(&mut t);
                t.col(timestamp_with_time_zone("deadline"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("responded_at"))
                    .col(timestamp_with_time_zone_null("reminded_at"))
                    .foreign_key(&mut fk("invitations", "employer_id", "employers"))
                    .foreign_key(&mut fk("invitations", "student_id", "students"))
                    .to_owned()
            },
            {
                let mut t = Table::create();
                t.table("agreements")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("agreement_no"))
                    .col(string_uniq("verify_code"))
                    .col(string("kind"))
                    .col(big_integer("student_id"))
                    .col(big_integer_null("employer_id"))
                    .col(big_integer_null("invitation_id"))
                    .col(string("status"))
                    .col(string("employer_name").default(""));
                signing_columns(&mut t);
                receiver_columns(&mut t);
                // Kind-specific fields (paper: 单位基本信息; other: the category's fields) as JSON.
                t.col(text("details").default("{}"))
                    .col(string("review_reason").default(""))
                    .col(timestamp_with_time_zone_null("certified_at"))
                    .col(big_integer_null("certified_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("agreements", "student_id", "students"))
                    .foreign_key(&mut fk("agreements", "employer_id", "employers"))
                    .foreign_key(&mut fk("agreements", "invitation_id", "invitations"))
                    .to_owned()
            },
            Table::create()
                .table("terminations")
                .col(big_pk_auto("id"))
                .col(big_integer("agreement_id"))
                .col(string("initiator"))
                .col(text("reason"))
                .col(text("response_reason").default(""))
                .col(string("status"))
                .col(text("review_reason").default(""))
                .col(big_integer_null("attachment_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("terminations", "agreement_id", "agreements"))
                .to_owned(),
            Table::create()
                .table("process_log")
                .col(big_pk_auto("id"))
                .col(big_integer_null("student_id"))
                .col(big_integer_null("agreement_id"))
                .col(big_integer_null("invitation_id"))
                .col(big_integer_null("termination_id"))
                .col(big_integer_null("actor_account_id"))
                .col(string("actor"))
                .col(string("action"))
                .col(text("reason").default(""))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
            Table::create()
                .table("notifications")
                .col(big_pk_auto("id"))
                .col(big_integer("account_id"))
                .col(string("title"))
                .col(text("body"))
                .col(string("link").default(""))
                .col(timestamp_with_time_zone_null("read_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("notifications", "account_id", "accounts"))
                .to_owned(),
            Table::create()
                .table("outbox")
                .col(big_pk_auto("id"))
                .col(string("channel"))
                .col(string("recipient"))
                .col(string("subject"))
                .col(text("body"))
                .col(string("status"))
                .col(text("error").default(""))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .to_owned(),
            Table::create()
                .table("verification_codes")
                .col(big_pk_auto("id"))
                .col(big_integer("account_id"))
                .col(string("code_hash"))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("verification_codes", "account_id", "accounts"))
                .to_owned(),
        ];
        for t in tables {
            m.create_table(t).await?;
        }

        let indexes = [
            index("colleges", "ux_colleges_school_name", &["school_id", "name"], true),
            index(
                "employer_approvals",
                "ux_employer_approvals",
                &["employer_id", "school_id"],
                true,
            ),
            index(
                "employer_approvals",
                "ix_employer_approvals_school",
                &["school_id", "status"],
                false,
            ),
            index(
                "students",
                "ux_students_roster",
                &["school_id", "graduation_year", "id_number"],
                true,
            ),
            index(
                "students",
                "ix_students_search",
                &["school_id", "graduation_year", "name"],
                false,
            ),
            index("students", "ix_students_college", &["college_id"], false),
            index("accounts", "ux_accounts_student", &["student_id"], true),
            index("accounts", "ix_accounts_employer", &["employer_id"], false),
            index("sessions", "ix_sessions_account", &["account_id"], false),
            index("sign_list", "ux_sign_list", &["employer_id", "student_id"], true),
            index(
                "invitations",
                "ix_invitations_student",
                &["student_id", "status"],
                false,
            ),
            index(
                "invitations",
                "ix_invitations_employer",
                &["employer_id", "status"],
                false,
            ),
            index("agreements", "ix_agreements_student", &["student_id"], false),
            index(
                "agreements",
                "ix_agreements_employer",
                &["employer_id", "status"],
                false,
            ),
            index("agreements", "ix_agreements_status", &["status"], false),
            index("terminations", "ix_terminations_agreement", &["agreement_id"], false),
            index("process_log", "ix_process_log_student", &["student_id"], false),
            index("process_log", "ix_process_log_agreement", &["agreement_id"], false),
            index(
                "notifications",
                "ix_notifications_account",
                &["account_id", "read_at"],
                false,
            ),
            index(
                "verification_codes",
                "ix_verification_codes_account",
                &["account_id"],
                false,
            ),
        ];
        for i in indexes {
            m.create_index(i).await?;
        }

        // Partial unique indexes (same syntax on SQLite and PostgreSQL). The status codes are
        // those of domain::status; a test checks the two agree.
        for sql in [
            // SPEC rule 1: one active engagement per student.
            "CREATE UNIQUE INDEX ux_agreements_one_active ON agreements (student_id) \
             WHERE status IN ('awaiting_review', 'awaiting_feedback', 'certified')",
            // SPEC rule 3: one pending invitation per employer and student.
            "CREATE UNIQUE INDEX ux_invitations_one_pending ON invitations (employer_id, student_id) \
             WHERE status = 'pending'",
            // One accepted invitation becomes at most one agreement.
            "CREATE UNIQUE INDEX ux_agreements_invitation ON agreements (invitation_id) \
             WHERE invitation_id IS NOT NULL",
            // At most one open termination per engagement.
            "CREATE UNIQUE INDEX ux_terminations_one_open ON terminations (agreement_id) \
             WHERE status IN ('applying', 'awaiting_review')",
        ] {
            m.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
