//! The one way a roster record is written (`roster_admin::save`/`edit`), under the endpoints of
//! 生源管理 and 生源导入: a new record waits for 生源审核 and gets an account without a password;
//! the same person and 毕业届 is found again, never duplicated, and belongs to one school; a
//! changed phone undoes 信息验证; every change is in the record's history.

mod common;

use common::{on_each_backend, TestApp};
use data::{
    entity::{account, process_log, student},
    service::roster_admin::{self, Editor, Outcome, Source},
};
use domain::{
    roster::{self, RosterInput, RosterRecord},
    status::RosterStatus,
    AppError,
};
use sea_orm::{prelude::*, IntoActiveModel, QueryOrder};

/// (school id, [(college id, name)]) of demo school `s`.
async fn school(app: &TestApp, code_order: usize) -> (i64, Vec<(i64, String)>) {
    let schools = data::entity::school::Entity::find()
        .order_by_asc(data::entity::school::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let id = schools[code_order].id;
    let colleges = data::entity::college::Entity::find()
        .filter(data::entity::college::Column::SchoolId.eq(id))
        .order_by_asc(data::entity::college::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    (id, colleges)
}

fn editor(school_id: i64, college_id: Option<i64>) -> Editor {
    Editor {
        account_id: 1,
        actor: "学校管理员 测试".into(),
        school_id,
        college_id,
    }
}

fn record(colleges: &[(i64, String)], phone: &str) -> RosterRecord {
    let input = RosterInput {
        college: colleges[0].1.clone(),
        major: "软件工程".into(),
        degree: "本科".into(),
        graduation_year: "2027".into(),
        name: "新同学".into(),
        gender: "女".into(),
        id_number: domain::ids::id_check_char("42010620050101100")
            .map(|c| format!("42010620050101100{c}"))
            .unwrap(),
        phone: phone.into(),
        email: String::new(),
        training_mode: "非定向".into(),
        origin: "湖北省武汉市".into(),
    };
    roster::check(&input, &roster::Context { colleges, season: 2027 }).unwrap()
}

async fn save(app: &TestApp, ed: &Editor, rec: &RosterRecord) -> Result<(i64, Outcome), AppError> {
    let (ed, rec) = (ed.clone(), rec.clone());
    app.data
        .write(move |txn| {
            Box::pin(async move {
                let key = (rec.id_number.clone(), rec.graduation_year);
                let found = roster_admin::find_existing(txn, std::slice::from_ref(&key))
                    .await?
                    .remove(&key);
                roster_admin::save(txn, &ed, &rec, found, Source::Import, "").await
            })
        })
        .await
}

async fn history(app: &TestApp, student_id: i64) -> Vec<String> {
    process_log::Entity::find()
        .filter(process_log::Column::StudentId.eq(student_id))
        .order_by_asc(process_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.action)
        .collect()
}

#[tokio::test]
async fn a_new_record_waits_for_review_gets_an_account_without_password_and_a_reimport_updates_it() {
    on_each_backend(|app| async move {
        let (school_id, colleges) = school(&app, 0).await;
        let ed = editor(school_id, None);
        let rec = record(&colleges, "13900001111");
        let (id, outcome) = save(&app, &ed, &rec).await.unwrap();
        assert_eq!(outcome, Outcome::Added);
        let s = student::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
        assert_eq!(s.roster_status, RosterStatus::Pending, "[{}]", app.backend);
        let acc = account::Entity::find()
            .filter(account::Column::StudentId.eq(id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (acc.login.as_str(), acc.password_hash.as_str()),
            (rec.id_number.as_str(), "")
        );

        // The same file again changes nothing; a corrected phone updates the one record.
        assert_eq!(save(&app, &ed, &rec).await.unwrap(), (id, Outcome::Unchanged));
        let mut verified = acc.clone().into_active_model();
        verified.phone_verified_at = sea_orm::ActiveValue::Set(Some(chrono::Utc::now()));
        verified.update(&app.db).await.unwrap();
        let newer = record(&colleges, "13900002222");
        assert_eq!(save(&app, &ed, &newer).await.unwrap(), (id, Outcome::Updated));
        let count = student::Entity::find()
            .filter(student::Column::IdNumber.eq(rec.id_number.as_str()))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(count, 1);
        let acc = account::Entity::find_by_id(acc.id).one(&app.db).await.unwrap().unwrap();
        assert_eq!(acc.phone_verified_at, None, "a changed phone must be verified again");
        assert_eq!(
            history(&app, id).await,
            vec![
                "导入生源信息（新增）".to_owned(),
                "导入生源信息（更新）：手机号：139****1111 → 139****2222".to_owned()
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn a_person_and_graduation_year_belong_to_one_school_and_a_college_admin_writes_only_its_college() {
    on_each_backend(|app| async move {
        let (school_a, colleges_a) = school(&app, 0).await;
        let (school_b, colleges_b) = school(&app, 1).await;
        save(&app, &editor(school_a, None), &record(&colleges_a, "13900001111"))
            .await
            .unwrap();
        let err = save(&app, &editor(school_b, None), &record(&colleges_b, "13900001111"))
            .await
            .unwrap_err();
        assert_eq!(err.message(), "该学生2027届的生源已在其他学校登记", "[{}]", app.backend);

        // A college admin of the other college may neither add to nor change this college.
        let other_college = editor(school_a, Some(colleges_a[1].0));
        let err = save(&app, &other_college, &record(&colleges_a, "13900003333"))
            .await
            .unwrap_err();
        assert_eq!(err.message(), "该学生属于本校其他学院，请联系学校管理员修改");
        let count = student::Entity::find()
            .filter(student::Column::SchoolId.eq(school_b))
            .filter(student::Column::GraduationYear.eq(2027))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(count, 0);
    })
    .await;
}

/// The demo roster is what a school would have imported: every record passes the roster's rules
/// (a 性别 that contradicts the 身份证号 would make 修改 refuse a record the admin never touched).
#[tokio::test]
async fn every_demo_roster_record_passes_the_roster_rules() {
    on_each_backend(|app| async move {
        let students = student::Entity::find().all(&app.db).await.unwrap();
        assert!(!students.is_empty());
        for s in students {
            let colleges: Vec<(i64, String)> = data::entity::college::Entity::find()
                .filter(data::entity::college::Column::SchoolId.eq(s.school_id))
                .all(&app.db)
                .await
                .unwrap()
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect();
            let rec = roster_admin::record_of(&app.db, &s).await.unwrap();
            let cells: Vec<String> = vec![
                rec.college.clone(),
                rec.major.clone(),
                rec.degree.clone(),
                rec.graduation_year.to_string(),
                rec.name.clone(),
                rec.gender.clone(),
                rec.id_number.clone(),
                rec.phone.clone(),
                rec.email.clone(),
                rec.training_mode.clone(),
                rec.origin.clone(),
            ];
            let cx = roster::Context {
                colleges: &colleges,
                season: data::service::seed::GRADUATION_YEAR,
            };
            let again = roster::check(&RosterInput::from_cells(&cells), &cx)
                .unwrap_or_else(|p| panic!("[{}] {}: {}", app.backend, s.name, roster::describe(&p)));
            assert_eq!(again, rec, "[{}]", app.backend);
        }
    })
    .await;
}
