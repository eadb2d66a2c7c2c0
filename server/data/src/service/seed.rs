//! Demo data for `make run` (demo mode only; a production start loads none). The README lists
//! the logins it creates. Everything is deterministic so the README and tests can name it.

use chrono::Utc;
use domain::{
    ids,
    status::{ApprovalStatus, RosterStatus},
    Role,
};
use sea_orm::{prelude::*, ActiveValue::Set};

use super::auth::{self, AccountScope};
use crate::{
    entity::{college, employer, employer_approval, school, student},
    Db, DbResultExt, Result,
};

pub const DEMO_PASSWORD: &str = "Demo@2026";
pub const GRADUATION_YEAR: i32 = 2026;

pub struct DemoSchool {
    pub code: &'static str,
    pub name: &'static str,
    pub admin_login: &'static str,
    pub colleges: [(&'static str, &'static str, [&'static str; 2]); 2],
}

/// Two schools, two colleges each (name, college-admin login, majors).
pub const SCHOOLS: [DemoSchool; 2] = [
    DemoSchool {
        code: "10001",
        name: "江城大学",
        admin_login: "jcdx_admin",
        colleges: [
            ("计算机学院", "jcdx_cs", ["计算机科学与技术", "软件工程"]),
            ("经济管理学院", "jcdx_em", ["会计学", "市场营销"]),
        ],
    },
    DemoSchool {
        code: "10002",
        name: "楚天理工学院",
        admin_login: "ctlg_admin",
        colleges: [
            ("机械工程学院", "ctlg_me", ["机械设计制造及其自动化", "车辆工程"]),
            ("外国语学院", "ctlg_fl", ["英语", "日语"]),
        ],
    },
];

/// (login, name, credit-code prefix, approved by school index or None = awaiting approval at 江城大学)
pub const EMPLOYERS: [(&str, &str, &str, Option<usize>); 3] = [
    ("hzsz", "华中数智科技有限公司", "91420100MA4K0001", Some(0)),
    ("cjxcl", "长江新材料股份有限公司", "91420200MA4K0002", Some(1)),
    ("hswh", "汉水文化传媒有限公司", "91420300MA4K0003", None),
];

/// Demo students' names, in the order of `demo_student_ids`.
pub const NAMES: [&str; 24] = [
    "张明", "李静", "王磊", "刘洋", "陈晨", "杨帆", "赵敏", "黄磊", "周婷", "吴昊", "徐丽", "孙浩", "胡雪", "朱强",
    "高峰", "林娜", "何伟", "郭佳", "马超", "罗琳", "梁爽", "宋杰", "郑薇", "谢宇",
];

/// The demo student `i` (0-based): 身份证号, phone, 培养方式.
pub fn demo_student_ids(i: usize) -> (String, String, &'static str) {
    let area = ["420106", "420111", "420502", "420602"][i % 4];
    let first17 = format!("{area}2004{:02}{:02}{:03}", 1 + i % 12, 1 + i % 28, 100 + i);
    let check = ids::id_check_char(&first17).expect("17 digits");
    let phone = format!("1380027{:04}", 1000 + i);
    // One 定向 student (cannot use the system, SPEC rule 4).
    let mode = if i == 5 { "定向" } else { "非定向" };
    (format!("{first17}{check}"), phone, mode)
}

/// 17-char prefix + GB 32100 check character.
fn credit_code(prefix16: &str) -> String {
    ids::credit_code_with_check(&format!("{prefix16}X")).expect("valid alphabet")
}

/// Loads the demo data unless the database already has schools. Returns whether it loaded.
pub async fn load_demo(db: &Db) -> Result<bool> {
    db.write(|txn| {
        Box::pin(async move {
            if school::Entity::find().one(txn).await.db()?.is_some() {
                return Ok(false);
            }
            let now = Utc::now();
            let hash = auth::hash_password(DEMO_PASSWORD);
            let none = AccountScope::default();
            auth::create_account(
                txn,
                "province",
                &hash,
                Role::ProvinceAdmin,
                "湖北省高校毕业生就业指导中心",
                none,
            )
            .await?;

            let mut school_ids = Vec::new();
            let mut n = 0usize;
            for s in &SCHOOLS {
                let sch = school::ActiveModel {
                    code: Set(s.code.into()),
                    name: Set(s.name.into()),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await
                .db()?;
                school_ids.push(sch.id);
                let school_scope = AccountScope {
                    school_id: Some(sch.id),
                    ..none
                };
                auth::create_account(
                    txn,
                    s.admin_login,
                    &hash,
                    Role::SchoolAdmin,
                    &format!("{}就业指导中心", s.name),
                    school_scope,
                )
                .await?;
                for (cname, clogin, majors) in &s.colleges {
                    let col = college::ActiveModel {
                        school_id: Set(sch.id),
                        name: Set((*cname).into()),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await
                    .db()?;
                    let college_scope = AccountScope {
                        school_id: Some(sch.id),
                        college_id: Some(col.id),
                        ..none
                    };
                    auth::create_account(
                        txn,
                        clogin,
                        &hash,
                        Role::CollegeAdmin,
                        &format!("{}{}", s.name, cname),
                        college_scope,
                    )
                    .await?;
                    for k in 0..6 {
                        let (id_number, phone, mode) = demo_student_ids(n);
                        let st = student::ActiveModel {
                            school_id: Set(sch.id),
                            college_id: Set(col.id),
                            major: Set(majors[k % 2].into()),
                            degree: Set(if k == 5 { "硕士研究生" } else { "本科" }.into()),
                            graduation_year: Set(GRADUATION_YEAR),
                            name: Set(NAMES[n].into()),
                            // GB 11643: the 17th digit is odd for men (the roster's rule checks this).
                            gender: Set(if id_number.as_bytes()[16] % 2 == 1 {
                                "男"
                            } else {
                                "女"
                            }
                            .into()),
                            id_number: Set(id_number.clone()),
                            phone: Set(phone),
                            email: Set(format!("student{:02}@example.edu.cn", n + 1)),
                            training_mode: Set(mode.into()),
                            origin: Set(["湖北省武汉市", "湖北省襄阳市", "河南省信阳市", "湖南省岳阳市"][n % 4].into()),
                            roster_status: Set(RosterStatus::Approved),
                            restricted: Set(false),
                            plan_submitted: Set(false),
                            created_at: Set(now),
                            ..Default::default()
                        }
                        .insert(txn)
                        .await
                        .db()?;
                        let scope = AccountScope {
                            school_id: Some(sch.id),
                            college_id: Some(col.id),
                            student_id: Some(st.id),
                            ..none
                        };
                        auth::create_account(txn, &id_number, &hash, Role::Student, NAMES[n], scope).await?;
                        n += 1;
                    }
                }
            }

            for (login, name, prefix, approved_by) in EMPLOYERS {
                let confirmed = approved_by.is_some();
                let e = employer::ActiveModel {
                    name: Set(name.into()),
                    credit_code: Set(credit_code(prefix)),
                    contact_person: Set("人事部 王经理".into()),
                    contact_phone: Set("02787654321".into()),
                    email: Set(format!("hr@{login}.example.com")),
                    address: Set("湖北省武汉市东湖新技术开发区光谷大道1号".into()),
                    nature: Set("其他企业".into()),
                    industry: Set("信息传输、软件和信息技术服务业".into()),
                    // The approved employers have confirmed their information already; 汉水文化传媒
                    // meets the first-login confirmation.
                    archive_unit: Set(if confirmed {
                        "武汉市人才服务中心".into()
                    } else {
                        String::new()
                    }),
                    archive_address: Set(if confirmed {
                        "湖北省武汉市江岸区解放大道1000号".into()
                    } else {
                        String::new()
                    }),
                    archive_postcode: Set(if confirmed { "430010".into() } else { String::new() }),
                    archive_contact: Set(if confirmed {
                        "档案室 李老师".into()
                    } else {
                        String::new()
                    }),
                    archive_phone: Set(if confirmed { "02782800000".into() } else { String::new() }),
                    hukou_address: Set(if confirmed {
                        "湖北省武汉市江岸区解放大道1000号".into()
                    } else {
                        String::new()
                    }),
                    hukou_unit: Set(if confirmed {
                        "武汉市人才服务中心".into()
                    } else {
                        String::new()
                    }),
                    info_confirmed_at: Set(confirmed.then_some(now)),
                    created_at: Set(now),
                    region: Set("湖北省武汉市".into()),
                    // Made by the operator, not registered: nothing to confirm.
                    email_confirmed_at: Set(Some(now)),
                    ..Default::default()
                }
                .insert(txn)
                .await
                .db()?;
                let (school_idx, status) = match approved_by {
                    Some(i) => (i, ApprovalStatus::Approved),
                    None => (0, ApprovalStatus::Pending),
                };
                employer_approval::ActiveModel {
                    employer_id: Set(e.id),
                    school_id: Set(school_ids[school_idx]),
                    status: Set(status),
                    reason: Set(String::new()),
                    reviewed_by: Set(None),
                    reviewed_at: Set((status == ApprovalStatus::Approved).then_some(now)),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await
                .db()?;
                auth::create_account(
                    txn,
                    login,
                    &hash,
                    Role::Employer,
                    name,
                    AccountScope {
                        employer_id: Some(e.id),
                        ..none
                    },
                )
                .await?;
            }
            Ok(true)
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_identity_numbers_and_credit_codes_are_valid() {
        for i in 0..24 {
            let (id, phone, _) = demo_student_ids(i);
            assert_eq!(ids::validate_id_number(&id).unwrap(), id);
            assert!(ids::validate_phone(&phone).is_ok());
        }
        for (_, _, prefix, _) in EMPLOYERS {
            assert!(ids::validate_credit_code(&credit_code(prefix)).is_ok());
        }
        assert_eq!((0..24).filter(|i| demo_student_ids(*i).2 == "定向").count(), 1);
    }

    #[test]
    fn the_readme_lists_real_demo_students() {
        let readme = include_str!("../../../../README.md");
        let listed: Vec<(&str, &str, &str)> = readme
            .lines()
            .filter(|l| l.starts_with("| ") && l.contains("| 2026 |"))
            .map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                (cells[4], cells[5], cells[6])
            })
            .collect();
        assert!(listed.len() >= 5);
        for (name, id, phone) in listed {
            let i = NAMES
                .iter()
                .position(|n| *n == name)
                .unwrap_or_else(|| panic!("{name} is not a demo student"));
            let (real_id, real_phone, _) = demo_student_ids(i);
            assert_eq!((id, phone), (real_id.as_str(), real_phone.as_str()), "{name}");
        }
    }
}
