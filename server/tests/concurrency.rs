//! Races the database must settle (SPEC rules 1 and 3), on SQLite and PostgreSQL: many
//! requests at the same moment, exactly one winner.

mod common;

use common::{demo, flow, on_each_backend, student_id};
use data::entity::{agreement, invitation};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_accepts_of_twenty_invitations_make_exactly_one_agreement() {
    on_each_backend(|app| async move {
        // 20 employers (copies of the demo's approved one) each invite student 0.
        let school = flow::school_of(&app.db, 0).await;
        let mut invitations = Vec::new();
        for c in flow::approved_employers(&app, "race", 20, &[school]).await {
            invitations.push(flow::invite(&app, &c, 0).await);
        }
        let s = flow::student(&app, 0).await;
        let s = std::sync::Arc::new(s);
        let mut tasks = Vec::new();
        for inv in invitations {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                s.post("/api/student/invitation/accept", &[("invitation_id", &inv.to_string())])
                    .await
                    .0
            }));
        }
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
        assert_eq!(ok, 1, "[{}] {statuses:?}", app.backend);
        assert!(
            statuses
                .iter()
                .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
            "[{}] losers get 409: {statuses:?}",
            app.backend
        );
        let sid = student_id(&app.db, 0).await;
        let agreements = agreement::Entity::find()
            .filter(agreement::Column::StudentId.eq(sid))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(agreements.len(), 1, "[{}]", app.backend);
        let accepted = invitation::Entity::find()
            .filter(invitation::Column::Status.eq("accepted"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(accepted, 1, "[{}] the losers' invitations stay pending", app.backend);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_sends_to_the_same_student_leave_exactly_one_pending_invitation() {
    on_each_backend(|app| async move {
        let e = std::sync::Arc::new(app.login("employer", demo::EMPLOYER_APPROVED).await);
        let sid = flow::add(&app, &e, 0).await;
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let e = e.clone();
            tasks.push(tokio::spawn(async move { flow::send(&e, &[sid], "软件工程师").await }));
        }
        let mut sent = 0;
        for t in tasks {
            let (status, body) = t.await.unwrap();
            assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
            sent += body["sent"].as_array().unwrap().len();
        }
        assert_eq!(sent, 1, "[{}]", app.backend);
        let pending = invitation::Entity::find()
            .filter(invitation::Column::StudentId.eq(sid))
            .filter(invitation::Column::Status.eq("pending"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(pending, 1, "[{}]", app.backend);
    })
    .await;
}
