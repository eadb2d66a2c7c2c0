//! SPEC rule 4 (who may sign) in the three forms the services need, from one source: the Rust
//! check of one record (`domain::flow::Standing`), the sea-orm filter, and the same filter as SQL
//! text for the import's hand-written statements. The filter is built once ([`condition`]) from
//! the domain's constants; `tests/eligibility.rs` checks it against `Standing::may_sign` over
//! every combination of the four facts.

use domain::{
    flow::{Standing, SIGNING_TRAINING_MODE},
    status::RosterStatus,
};
use sea_orm::{
    prelude::*,
    sea_query::{Alias, ExprTrait, IntoIden, PostgresQueryBuilder, Query, SqliteQueryBuilder},
    Condition, DbBackend, Select,
};

use crate::entity::student;

/// What rule 4 looks at in a roster record.
pub fn standing(s: &student::Model) -> Standing<'_> {
    Standing {
        training_mode: &s.training_mode,
        roster: s.roster_status,
        restricted: s.restricted,
        plan_submitted: s.plan_submitted,
    }
}

/// Rule 4 on the students table under `table` (its name, or an alias in a hand-written join).
pub fn condition(table: impl IntoIden) -> Condition {
    let table = table.into_iden();
    let col = |c: student::Column| Expr::col((table.clone(), c));
    Condition::all()
        .add(col(student::Column::TrainingMode).eq(SIGNING_TRAINING_MODE))
        .add(col(student::Column::RosterStatus).eq(RosterStatus::Approved))
        .add(col(student::Column::Restricted).eq(false))
        .add(col(student::Column::PlanSubmitted).eq(false))
}

/// Roster records that may sign, as a query to narrow further.
pub fn eligible() -> Select<student::Entity> {
    student::Entity::find().filter(condition(student::Entity))
}

/// [`condition`] as SQL text on `students AS {alias}`, values inlined (they are the domain's
/// constants), for statements written by hand.
pub fn sql(backend: DbBackend, alias: &str) -> String {
    let alias = Alias::new(alias);
    let stmt = Query::select()
        .expr(Expr::value(1))
        .from_as(student::Entity, alias.clone())
        .cond_where(condition(alias))
        .to_owned();
    let text = match backend {
        DbBackend::Postgres => stmt.to_string(PostgresQueryBuilder),
        _ => stmt.to_string(SqliteQueryBuilder),
    };
    // Fails closed: without its WHERE clause (never seen) nobody would match, not everybody.
    text.split_once(" WHERE ")
        .map_or_else(|| "(1 = 0)".to_owned(), |(_, filter)| format!("({filter})"))
}
