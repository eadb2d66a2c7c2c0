//! Every endpoint checks who is calling, their role and scope (SPEC rule 9), whatever the UI shows.

mod common;

use common::{demo, employer_id, on_each_backend, student_id};

use reqwest::StatusCode;

#[tokio::test]
async fn endpoints_refuse_callers_without_a_session() {
    on_each_backend(|app| async move {
        let c = app.client();
        for path in [
            "/api/me",
            "/api/student/dashboard",
            "/api/employer/dashboard",
            "/api/admin/dashboard",
            "/api/admin/roster",
        ] {
            let (status, body) = c.post(path, &[]).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}: {body}");
        }
        let (status, _) = c.post("/api/student/profile", &[("student_id", "1")]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn a_role_cannot_call_another_roles_dashboard() {
    on_each_backend(|app| async move {
        let student = app.login("student", &demo::student(0)).await;
        assert_eq!(student.post("/api/admin/dashboard", &[]).await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            student.post("/api/employer/dashboard", &[]).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(student.post("/api/admin/roster", &[]).await.0, StatusCode::FORBIDDEN);
        let employer = app.login("employer", demo::EMPLOYER_APPROVED).await;
        assert_eq!(
            employer.post("/api/student/dashboard", &[]).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(employer.post("/api/admin/roster", &[]).await.0, StatusCode::FORBIDDEN);
        let admin = app.login("admin", demo::school_admin(0)).await;
        assert_eq!(admin.post("/api/student/dashboard", &[]).await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            admin.post("/api/employer/dashboard", &[]).await.0,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}

#[tokio::test]
async fn a_student_reads_only_their_own_record() {
    on_each_backend(|app| async move {
        let me = student_id(&app.db, 0).await;
        let other = student_id(&app.db, 1).await;
        let c = app.login("student", &demo::student(0)).await;
        let (status, body) = c.post("/api/student/profile", &[("student_id", &me.to_string())]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body["id_number_masked"].as_str().unwrap().matches('*').count(),
            8,
            "ID masked: {body}"
        );
        let (status, body) = c
            .post("/api/student/profile", &[("student_id", &other.to_string())])
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    })
    .await;
}

#[tokio::test]
async fn an_employer_reads_only_its_own_record_and_no_students() {
    on_each_backend(|app| async move {
        let own = employer_id(&app.db, demo::EMPLOYER_APPROVED).await;
        let other = employer_id(&app.db, demo::EMPLOYER_OTHER).await;
        let c = app.login("employer", demo::EMPLOYER_APPROVED).await;
        assert_eq!(
            c.post("/api/employer/profile", &[("employer_id", &own.to_string())])
                .await
                .0,
            StatusCode::OK
        );
        assert_eq!(
            c.post("/api/employer/profile", &[("employer_id", &other.to_string())])
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        let s = student_id(&app.db, 0).await;
        assert_eq!(
            c.post("/api/student/profile", &[("student_id", &s.to_string())])
                .await
                .0,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn a_college_admin_sees_only_their_own_college() {
    on_each_backend(|app| async move {
        let c = app.login("admin", demo::college_admin(0, 0)).await;
        let inside = student_id(&app.db, 0).await;
        let other_college = student_id(&app.db, 6).await;
        let other_school = student_id(&app.db, 12).await;
        assert_eq!(
            c.post("/api/student/profile", &[("student_id", &inside.to_string())])
                .await
                .0,
            StatusCode::OK
        );
        assert_eq!(
            c.post("/api/student/profile", &[("student_id", &other_college.to_string())])
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            c.post("/api/student/profile", &[("student_id", &other_school.to_string())])
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        let (status, page) = c.post("/api/admin/roster", &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["total"], 6);
        assert!(page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["college"] == "计算机学院"));
        // Asking for another college's list gives nothing of it.
        let (_, dash) = c.post("/api/admin/dashboard", &[]).await;
        assert_eq!(dash["students"], 6);
    })
    .await;
}

#[tokio::test]
async fn a_school_admin_sees_only_their_own_school() {
    on_each_backend(|app| async move {
        let c = app.login("admin", demo::school_admin(1)).await;
        let inside = student_id(&app.db, 18).await;
        let other_school = student_id(&app.db, 0).await;
        assert_eq!(
            c.post("/api/student/profile", &[("student_id", &inside.to_string())])
                .await
                .0,
            StatusCode::OK
        );
        assert_eq!(
            c.post("/api/student/profile", &[("student_id", &other_school.to_string())])
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        let (_, page) = c.post("/api/admin/roster", &[]).await;
        assert_eq!(page["total"], 12);
        // An employer that never applied to this school is out of reach.
        let e = employer_id(&app.db, demo::EMPLOYER_APPROVED).await;
        assert_eq!(
            c.post("/api/employer/profile", &[("employer_id", &e.to_string())])
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        let e = employer_id(&app.db, demo::EMPLOYER_OTHER).await;
        assert_eq!(
            c.post("/api/employer/profile", &[("employer_id", &e.to_string())])
                .await
                .0,
            StatusCode::OK
        );
    })
    .await;
}

#[tokio::test]
async fn the_province_admin_sees_every_school() {
    on_each_backend(|app| async move {
        let c = app.login("admin", demo::PROVINCE).await;
        let (_, page) = c.post("/api/admin/roster", &[]).await;
        assert_eq!(page["total"], 24);
        for i in [0, 12] {
            let s = student_id(&app.db, i).await;
            assert_eq!(
                c.post("/api/student/profile", &[("student_id", &s.to_string())])
                    .await
                    .0,
                StatusCode::OK
            );
        }
        let (_, dash) = c.post("/api/admin/dashboard", &[]).await;
        assert_eq!(dash["schools"], 2);
    })
    .await;
}

#[tokio::test]
async fn malformed_arguments_get_a_chinese_400_not_a_500() {
    on_each_backend(|app| async move {
        let c = app.login("admin", demo::PROVINCE).await;
        let (status, body) = c.post("/api/student/profile", &[("student_id", "abc")]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            serde_json::from_value::<domain::AppError>(body).unwrap().message(),
            "请求参数有误"
        );
    })
    .await;
}
