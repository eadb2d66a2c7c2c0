//! The invariants the database itself guards (unique indexes), and the to-do counters that
//! read them. Concurrency-proof by construction: the second writer fails in the database.

mod common;

use chrono::{Duration, Utc};
use common::{demo, employer_id, on_each_backend, student_id};
use data::entity::{agreement, invitation, termination};
use domain::status::{AgreementStatus, InvitationStatus, TerminationStatus};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, DbErr, SqlErr};

fn is_unique_violation(r: Result<impl Sized, DbErr>) -> bool {
    matches!(
        r.err().and_then(|e| e.sql_err()),
        Some(SqlErr::UniqueConstraintViolation(_))
    )
}

async fn add_invitation(
    db: &DatabaseConnection,
    employer_id: i64,
    student_id: i64,
    status: InvitationStatus,
) -> Result<invitation::Model, DbErr> {
    let now = Utc::now();
    invitation::ActiveModel {
        employer_id: Set(employer_id),
        student_id: Set(student_id),
        status: Set(status),
        position: Set("软件工程师".into()),
        job_category: Set(String::new()),
        work_place: Set("武汉".into()),
        salary: Set("8000".into()),
        contract_term: Set("3年".into()),
        probation: Set("3个月".into()),
        other_terms: Set(String::new()),
        archive_unit: Set(String::new()),
        archive_address: Set(String::new()),
        archive_postcode: Set(String::new()),
        archive_contact: Set(String::new()),
        archive_phone: Set(String::new()),
        hukou_address: Set(String::new()),
        hukou_unit: Set(String::new()),
        deadline: Set(now + Duration::days(5)),
        created_at: Set(now),
        responded_at: Set(None),
        reminded_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

async fn add_agreement(
    db: &DatabaseConnection,
    no: &str,
    student_id: i64,
    employer_id: i64,
    status: AgreementStatus,
) -> Result<agreement::Model, DbErr> {
    let now = Utc::now();
    agreement::ActiveModel {
        agreement_no: Set(no.into()),
        verify_code: Set(format!("V{no}")),
        kind: Set(domain::status::EngagementKind::Online),
        student_id: Set(student_id),
        employer_id: Set(Some(employer_id)),
        invitation_id: Set(None),
        status: Set(status),
        employer_name: Set("华中数智科技有限公司".into()),
        position: Set(String::new()),
        job_category: Set(String::new()),
        work_place: Set(String::new()),
        salary: Set(String::new()),
        contract_term: Set(String::new()),
        probation: Set(String::new()),
        other_terms: Set(String::new()),
        archive_unit: Set(String::new()),
        archive_address: Set(String::new()),
        archive_postcode: Set(String::new()),
        archive_contact: Set(String::new()),
        archive_phone: Set(String::new()),
        hukou_address: Set(String::new()),
        hukou_unit: Set(String::new()),
        details: Set("{}".into()),
        review_reason: Set(String::new()),
        certified_at: Set(None),
        certified_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

async fn add_termination(
    db: &DatabaseConnection,
    agreement_id: i64,
    initiator: domain::flow::Party,
    status: TerminationStatus,
) -> Result<termination::Model, DbErr> {
    let now = Utc::now();
    termination::ActiveModel {
        agreement_id: Set(agreement_id),
        initiator: Set(initiator),
        reason: Set("个人原因".into()),
        response_reason: Set(String::new()),
        status: Set(status),
        review_reason: Set(String::new()),
        attachment_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

#[tokio::test]
async fn the_database_allows_one_active_engagement_per_student() {
    on_each_backend(|app| async move {
        let db = &app.db;
        let (s, e) = (student_id(db, 0).await, employer_id(db, demo::EMPLOYER_APPROVED).await);
        add_agreement(db, "A1", s, e, AgreementStatus::AwaitingReview)
            .await
            .unwrap();
        // Every active state of a second engagement is refused by the index.
        for (no, st) in [
            ("A2", AgreementStatus::AwaitingReview),
            ("A3", AgreementStatus::Certified),
            ("A4", AgreementStatus::AwaitingFeedback),
        ] {
            assert!(
                is_unique_violation(add_agreement(db, no, s, e, st).await),
                "[{}] {st:?}",
                app.backend
            );
        }
        // Inactive ones (drafts, rejected, terminated) may coexist with it.
        for (no, st) in [
            ("A5", AgreementStatus::Draft),
            ("A6", AgreementStatus::ReviewRejected),
            ("A7", AgreementStatus::Terminated),
        ] {
            add_agreement(db, no, s, e, st).await.unwrap();
        }
        // Another student is unaffected.
        add_agreement(db, "A8", student_id(db, 1).await, e, AgreementStatus::Certified)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn the_database_allows_one_pending_invitation_per_employer_and_student() {
    on_each_backend(|app| async move {
        let db = &app.db;
        let (s, e) = (student_id(db, 0).await, employer_id(db, demo::EMPLOYER_APPROVED).await);
        add_invitation(db, e, s, InvitationStatus::Pending).await.unwrap();
        assert!(is_unique_violation(
            add_invitation(db, e, s, InvitationStatus::Pending).await
        ));
        // Invitations that ended do not block; another employer may invite too.
        add_invitation(db, e, s, InvitationStatus::Rejected).await.unwrap();
        add_invitation(db, e, s, InvitationStatus::Expired).await.unwrap();
        add_invitation(
            db,
            employer_id(db, demo::EMPLOYER_OTHER).await,
            s,
            InvitationStatus::Pending,
        )
        .await
        .unwrap();
    })
    .await;
}

#[tokio::test]
async fn the_database_allows_one_open_termination_per_agreement() {
    on_each_backend(|app| async move {
        let db = &app.db;
        let (s, e) = (student_id(db, 0).await, employer_id(db, demo::EMPLOYER_APPROVED).await);
        let a = add_agreement(db, "T1", s, e, AgreementStatus::Certified).await.unwrap();
        add_termination(db, a.id, domain::flow::Party::Student, TerminationStatus::Applying)
            .await
            .unwrap();
        assert!(is_unique_violation(
            add_termination(db, a.id, domain::flow::Party::Employer, TerminationStatus::Applying).await
        ));
        assert!(is_unique_violation(
            add_termination(
                db,
                a.id,
                domain::flow::Party::Employer,
                TerminationStatus::AwaitingReview
            )
            .await
        ));
        add_termination(db, a.id, domain::flow::Party::Employer, TerminationStatus::Declined)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn the_index_predicates_match_the_domain_rules() {
    // The migrations (000001, then m20261130_000020 with 等待学校审核) spell the active/open
    // states out as codes; keep them in step.
    let active: Vec<_> = AgreementStatus::ALL
        .iter()
        .filter(|s| s.is_active())
        .map(|s| s.code())
        .collect();
    assert_eq!(
        active,
        ["awaiting_review", "awaiting_school", "awaiting_feedback", "certified"]
    );
    let open: Vec<_> = TerminationStatus::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.code())
        .collect();
    assert_eq!(open, ["applying", "awaiting_review", "awaiting_school"]);
    assert_eq!(InvitationStatus::Pending.code(), "pending");
}

#[tokio::test]
async fn the_to_do_counters_count_what_waits_on_each_side() {
    on_each_backend(|app| async move {
        let db = &app.db;
        let (s0, s1) = (student_id(db, 0).await, student_id(db, 1).await);
        let e = employer_id(db, demo::EMPLOYER_APPROVED).await;
        add_invitation(db, e, s0, InvitationStatus::Pending).await.unwrap();
        add_invitation(db, e, s1, InvitationStatus::Pending).await.unwrap();
        add_invitation(
            db,
            employer_id(db, demo::EMPLOYER_OTHER).await,
            s0,
            InvitationStatus::Rejected,
        )
        .await
        .unwrap();
        let a = add_agreement(db, "C1", s1, e, AgreementStatus::Certified)
            .await
            .unwrap();
        add_termination(db, a.id, domain::flow::Party::Student, TerminationStatus::Applying)
            .await
            .unwrap();

        let employer = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let (status, d) = employer.post("/api/employer/dashboard", &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (d["pending_invitations"].as_u64(), d["pending_terminations"].as_u64()),
            (Some(2), Some(1))
        );
        assert_eq!(d["approved"], true);
        assert!(
            d["last_login_at"].is_string() && d["last_login_ip"] == "127.0.0.1",
            "{d}"
        );

        let student = app.login("student", &demo::student(0)).await;
        let (_, d) = student.post("/api/student/dashboard", &[]).await;
        assert_eq!(d["received_invitations"], 1);
        assert_eq!(d["employment_status"], "未签约");
        // A pending invitation whose 应约期限 passed a moment ago waits for nobody.
        let lapsed = add_invitation(
            db,
            employer_id(db, demo::EMPLOYER_OTHER).await,
            s0,
            InvitationStatus::Pending,
        )
        .await
        .unwrap();
        let mut lapsed: invitation::ActiveModel = lapsed.into();
        lapsed.deadline = Set(Utc::now() - Duration::milliseconds(1));
        lapsed.update(db).await.unwrap();
        let (_, d) = student.post("/api/student/dashboard", &[]).await;
        assert_eq!(
            d["received_invitations"], 1,
            "an expired invitation is not counted: {d}"
        );
        let student = app.login("student", &demo::student(1)).await;
        let (_, d) = student.post("/api/student/dashboard", &[]).await;
        assert_eq!(d["employment_status"], "签约审核通过（华中数智科技有限公司）");
        assert_eq!(
            d["pending_terminations"], 0,
            "the request waits on the employer, not the student"
        );

        let pending = app.login("employer", demo::EMPLOYER_PENDING).await;
        let (_, d) = pending.post("/api/employer/dashboard", &[]).await;
        assert_eq!(d["approved"], false);

        add_agreement(db, "C2", s0, e, AgreementStatus::AwaitingReview)
            .await
            .unwrap();
        for (login, expected) in [
            (demo::college_admin(0, 0), 1),
            (demo::school_admin(0), 1),
            (demo::school_admin(1), 0),
            (demo::PROVINCE, 1),
        ] {
            let admin = app.login("admin", login).await;
            let (_, d) = admin.post("/api/admin/dashboard", &[]).await;
            assert_eq!(d["awaiting_signing_review"], expected, "{login}");
        }
        let admin = app.login("admin", demo::school_admin(0)).await;
        let (_, d) = admin.post("/api/admin/dashboard", &[]).await;
        assert_eq!(d["employers_awaiting_approval"], 1);
    })
    .await;
}

#[tokio::test]
async fn a_unique_index_violation_becomes_a_user_message_not_a_500() {
    on_each_backend(|app| async move {
        use data::service::auth::{create_account, AccountScope};
        let err = create_account(
            &app.db,
            "province",
            "x",
            domain::Role::ProvinceAdmin,
            "重复",
            AccountScope::default(),
        )
        .await
        .unwrap_err();
        assert_eq!(err, domain::AppError::conflict("账号 province 已存在"));
        assert_eq!(err.status(), 409);
    })
    .await;
}
