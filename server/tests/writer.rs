//! The one write path, through the real router on SQLite and PostgreSQL: clients that disconnect
//! mid-request change nothing for the others, and the app's database handle cannot write
//! outside `Db::write` (so every write endpoint the other tests call goes through the writer).

mod common;

use std::{collections::HashMap, sync::Arc, time::Duration};

use common::{demo, flow, on_each_backend, student_id};
use data::entity::{account, agreement, invitation, process_log};
use reqwest::StatusCode;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, Statement,
};

const EMPLOYERS: usize = 5;

/// The demo students who may sign (all but the one 定向 student, 5).
fn signers() -> Vec<usize> {
    (0..24).filter(|&i| i != 5).collect()
}

/// `EMPLOYERS` approved employers (the demo's 华中数智 and copies of it), logged in.
async fn employers(app: &common::TestApp) -> Vec<common::Client> {
    let schools = [flow::school_of(&app.db, 0).await, flow::school_of(&app.db, 12).await];
    let mut clients = vec![app.login("employer", demo::EMPLOYER_APPROVED).await];
    clients.extend(flow::approved_employers(app, "copy", EMPLOYERS - 1, &schools).await);
    clients
}

/// Every demo student who may sign holds an invitation from each of `EMPLOYERS` employers and
/// accepts them all at once (115 requests); a third of the clients disconnect at some moment of
/// their request, while the other 77 write.
/// Every request whose client stayed is answered: 200 with the student's agreement, or 409
/// because the student has one. Each student ends with exactly one agreement, its invitation is
/// the one accepted, and the agreement's 签约过程记录 entry is there once: no write was lost
/// or half-done, though some requests were abandoned mid-way. Then the next write works.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_that_disconnect_mid_request_change_nothing_for_the_others() {
    on_each_backend(|app| async move {
        let employers = employers(&app).await;
        let mut invitations: Vec<(usize, i64)> = Vec::new();
        for e in &employers {
            let mut ids = Vec::new();
            for i in signers() {
                ids.push(add(&app, e, i).await);
            }
            let (status, body) = flow::send(e, &ids, "软件工程师").await;
            assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
            assert_eq!(
                body["sent"].as_array().unwrap().len(),
                ids.len(),
                "[{}] {body}",
                app.backend
            );
        }
        let sids: Vec<i64> = student_ids(&app).await;
        for inv in invitation::Entity::find().all(&app.db).await.unwrap() {
            let i = sids.iter().position(|&s| s == inv.student_id).unwrap();
            invitations.push((i, inv.id));
        }
        assert_eq!(invitations.len(), signers().len() * EMPLOYERS);
        let mut students = HashMap::new();
        for i in signers() {
            students.insert(i, Arc::new(flow::student(&app, i).await));
        }

        let mut requests = Vec::new();
        for (n, &(i, inv)) in invitations.iter().enumerate() {
            let s = students[&i].clone();
            let task = tokio::spawn(async move {
                let (status, body) = s
                    .post("/api/student/invitation/accept", &[("invitation_id", &inv.to_string())])
                    .await;
                (status, body)
            });
            let leaves = n % 3 == 1;
            if leaves {
                let handle = task.abort_handle();
                let delay = Duration::from_micros(((n * 7919) % 30_000) as u64);
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    handle.abort();
                });
            }
            requests.push((i, inv, leaves, task));
        }
        let mut answered: HashMap<usize, Vec<(i64, StatusCode, serde_json::Value)>> = HashMap::new();
        let mut gone = 0;
        for (i, inv, leaves, task) in requests {
            match task.await {
                Ok((status, body)) => answered.entry(i).or_default().push((inv, status, body)),
                Err(e) if e.is_cancelled() && leaves => gone += 1,
                Err(e) => panic!("[{}] request for invitation {inv}: {e}", app.backend),
            }
        }
        let stayed = answered.values().map(Vec::len).sum::<usize>();
        eprintln!(
            "[{}] {stayed} requests answered, {gone} clients went away before their answer",
            app.backend
        );
        assert!(
            stayed >= 64 && gone > 0,
            "[{}] {stayed} answered, {gone} gone",
            app.backend
        );

        for (i, &sid) in sids.iter().enumerate().filter(|(i, _)| *i != 5) {
            let agreements = agreement::Entity::find()
                .filter(agreement::Column::StudentId.eq(sid))
                .all(&app.db)
                .await
                .unwrap();
            let accepted = invitation::Entity::find()
                .filter(invitation::Column::StudentId.eq(sid))
                .filter(invitation::Column::Status.eq("accepted"))
                .all(&app.db)
                .await
                .unwrap();
            assert!(
                agreements.len() <= 1,
                "[{}] student {i}: {} agreements",
                app.backend,
                agreements.len()
            );
            assert_eq!(
                accepted.len(),
                agreements.len(),
                "[{}] student {i}: accepted invitations and agreements differ",
                app.backend
            );
            if let Some(a) = agreements.first() {
                assert_eq!(a.invitation_id, Some(accepted[0].id), "[{}] student {i}", app.backend);
                let logged = process_log::Entity::find()
                    .filter(process_log::Column::AgreementId.eq(a.id))
                    .filter(process_log::Column::Action.eq("同意签约（现在签约）"))
                    .count(&app.db)
                    .await
                    .unwrap();
                assert_eq!(logged, 1, "[{}] student {i}: the accept's log entry", app.backend);
            }
            for (inv, status, body) in answered.get(&i).into_iter().flatten() {
                match *status {
                    StatusCode::OK => {
                        let a = agreements
                            .first()
                            .unwrap_or_else(|| panic!("[{}] student {i}: 200 without an agreement", app.backend));
                        assert_eq!(body.as_i64(), Some(a.id), "[{}] student {i}", app.backend);
                        assert_eq!(a.invitation_id, Some(*inv), "[{}] student {i}", app.backend);
                    }
                    StatusCode::CONFLICT => assert_eq!(
                        agreements.len(),
                        1,
                        "[{}] student {i}: 409 without an agreement",
                        app.backend
                    ),
                    other => panic!("[{}] student {i}: {other} {body}", app.backend),
                }
            }
            if answered.contains_key(&i) {
                assert_eq!(
                    agreements.len(),
                    1,
                    "[{}] student {i} asked and stayed, yet has no agreement",
                    app.backend
                );
            }
        }

        // The next write: an employer withdraws an invitation still pending.
        let pending = invitation::Entity::find()
            .filter(invitation::Column::Status.eq("pending"))
            .all(&app.db)
            .await
            .unwrap();
        let hz = common::employer_id(&app.db, demo::EMPLOYER_APPROVED).await;
        let inv = pending
            .iter()
            .find(|i| i.employer_id == hz)
            .expect("a pending invitation of 华中数智");
        let (status, body) = employers[0]
            .post(
                "/api/employer/invitations/withdraw",
                &[("invitation_id", &inv.id.to_string())],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
    })
    .await;
}

/// 加入 demo student `i` to this employer's list (by 身份证号).
async fn add(app: &common::TestApp, e: &common::Client, i: usize) -> i64 {
    let (status, body) = e
        .post_owned("/api/employer/sign-list/add", &flow::query(&app.db, i).await)
        .await;
    assert_eq!(status, StatusCode::OK, "[{}] add {i}: {body}", app.backend);
    body["student_id"].as_i64().unwrap()
}

async fn student_ids(app: &common::TestApp) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..24 {
        ids.push(student_id(&app.db, i).await);
    }
    ids
}

/// The handle in the app's `ServerState` only reads: a statement that writes, a query that
/// writes (`RETURNING`), an entity update — each is refused (by the handle, and by the database,
/// whose sessions are read-only), and nothing changes. Writes go through `Db::write` alone, so
/// every write endpoint exercised by the other tests is one that goes through the writer.
#[tokio::test]
async fn the_apps_database_handle_refuses_writes_outside_the_writer() {
    on_each_backend(|app| async move {
        let backend = app.data.get_database_backend();
        assert!(
            app.data
                .execute_unprepared("UPDATE accounts SET disabled = TRUE")
                .await
                .is_err(),
            "[{}]",
            app.backend
        );
        let returning = Statement::from_string(backend, "UPDATE accounts SET disabled = TRUE RETURNING id");
        assert!(
            app.data.query_one_raw(returning).await.is_err(),
            "[{}] a query that writes",
            app.backend
        );
        let a = account::Entity::find().one(&app.data).await.unwrap().unwrap();
        let mut am: account::ActiveModel = a.into();
        am.disabled = Set(true);
        assert!(
            am.update(&app.data).await.is_err(),
            "[{}] an entity update",
            app.backend
        );
        let disabled = account::Entity::find()
            .filter(account::Column::Disabled.eq(true))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(disabled, 0, "[{}] nothing changed", app.backend);
    })
    .await;
}
