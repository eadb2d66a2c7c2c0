//! The data model's own guarantees, on both databases: rule 4 (who may sign) means the same in
//! Rust and in SQL, and a state column holding a value the code does not know is an error, never
//! read as some default state.

mod common;

use chrono::Utc;
use common::{on_each_backend, student_id};
use data::{
    entity::{agreement, student},
    service::eligibility,
};
use domain::status::{AgreementStatus, RosterStatus};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, QueryFilter,
    Statement,
};

/// Every combination of the four facts rule 4 looks at, one roster record each.
async fn every_standing(app: &common::TestApp) -> Vec<student::Model> {
    let template = student::Entity::find_by_id(student_id(&app.db, 0).await)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut made = Vec::new();
    let mut n = 0;
    for mode in ["非定向", "定向", "委培"] {
        for roster in [RosterStatus::Approved, RosterStatus::Pending] {
            for restricted in [false, true] {
                for plan_submitted in [false, true] {
                    n += 1;
                    let s = student::ActiveModel {
                        id: sea_orm::NotSet,
                        name: Set(format!("组合{n}")),
                        id_number: Set(format!("42010620040101{n:04}")),
                        phone: Set(format!("1390000{n:04}")),
                        training_mode: Set(mode.to_owned()),
                        roster_status: Set(roster),
                        restricted: Set(restricted),
                        plan_submitted: Set(plan_submitted),
                        created_at: Set(Utc::now()),
                        ..template.clone().into_active_model()
                    }
                    .insert(&app.db)
                    .await
                    .unwrap();
                    made.push(s);
                }
            }
        }
    }
    made
}

#[tokio::test]
async fn rule_4_selects_the_same_students_in_rust_in_the_query_builder_and_in_hand_written_sql() {
    on_each_backend(|app| async move {
        let made = every_standing(&app).await;
        let ids: Vec<i64> = made.iter().map(|s| s.id).collect();
        let mut by_rust: Vec<i64> = made
            .iter()
            .filter(|s| eligibility::standing(s).may_sign())
            .map(|s| s.id)
            .collect();
        by_rust.sort();
        assert_eq!(by_rust.len(), 1, "[{}] exactly one combination may sign", app.backend);

        let mut by_builder: Vec<i64> = eligibility::eligible()
            .filter(sea_orm::ColumnTrait::is_in(&student::Column::Id, ids.clone()))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect();
        by_builder.sort();
        assert_eq!(by_builder, by_rust, "[{}] the sea-orm filter", app.backend);

        let backend = app.db.get_database_backend();
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT s.id FROM students AS s WHERE s.id IN ({list}) AND {} ORDER BY s.id",
            eligibility::sql(backend, "s")
        );
        let by_sql: Vec<i64> = app
            .db
            .query_all_raw(Statement::from_string(backend, sql))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get_by_index(0).unwrap())
            .collect();
        assert_eq!(by_sql, by_rust, "[{}] the SQL text", app.backend);
    })
    .await;
}

#[tokio::test]
async fn a_state_the_code_does_not_know_fails_the_read_instead_of_passing_for_another() {
    on_each_backend(|app| async move {
        // An employer signs with student 0 through the real flow, then the row is damaged.
        let employer = app.login("employer", common::demo::EMPLOYER_APPROVED).await;
        let invitation_id = common::flow::invite(&app, &employer, 0).await.to_string();
        let student = common::flow::student(&app, 0).await;
        let (status, _) = student
            .post("/api/student/invitation/accept", &[("invitation_id", &invitation_id)])
            .await;
        assert!(status.is_success(), "[{}] accept: {status}", app.backend);
        let a = agreement::Entity::find().one(&app.db).await.unwrap().unwrap();
        assert_eq!(a.status, AgreementStatus::AwaitingReview);

        let backend = app.db.get_database_backend();
        let damage = match backend {
            DbBackend::Postgres => "UPDATE agreements SET status = 'archived' WHERE id = $1",
            _ => "UPDATE agreements SET status = 'archived' WHERE id = ?",
        };
        app.db
            .execute_raw(Statement::from_sql_and_values(backend, damage, [a.id.into()]))
            .await
            .unwrap();
        let read = agreement::Entity::find_by_id(a.id).one(&app.db).await;
        assert!(
            read.is_err(),
            "[{}] an unknown status is an error: {read:?}",
            app.backend
        );
        // Over HTTP that is a 500 with the Chinese message, not an agreement shown as a draft.
        let (status, body) = student
            .post("/api/agreement", &[("agreement_id", &a.id.to_string())])
            .await;
        assert_eq!(status.as_u16(), 500, "[{}] {body}", app.backend);
    })
    .await;
}
