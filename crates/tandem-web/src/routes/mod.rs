//! The routes, one module per resource; each handler reads: authorize → use case → render.
//!
//! Every route is declared once in the `routes!` list below, which builds the router and the
//! public [`ROUTES`] table; the authorisation test walks that table for every role, so a new
//! route cannot escape it.

mod accessibility;
mod account;
mod adjustments;
mod applications;
mod applied;
mod assets;
mod audit;
mod decisions;
mod demo_emails;
mod equality;
mod evaluation;
mod health;
mod home;
mod import;
mod inbox;
mod invitations;
mod matching;
mod next_steps;
mod organisation;
pub(crate) mod password;
pub(crate) mod people;
mod records;
mod relationships;
mod reports;
mod scheme_admin;
mod schemes;
mod settings;
pub(crate) mod sign_in;
mod sso;
mod subject_access;
mod tokens;
mod training;
pub(crate) mod two_factor;
mod withdrawal;

use crate::{WebError, WebState};
use axum::Router;
use axum::routing;

/// A method router for one handler; `upload` is a `post` that accepts large files.
macro_rules! method {
    (upload, $handler:path) => {
        routing::post($handler).layer(axum::extract::DefaultBodyLimit::max(import::UPLOAD_LIMIT))
    };
    ($method:ident, $handler:path) => {
        routing::$method($handler)
    };
}

/// The HTTP method a route answers (`upload` is a `post`).
macro_rules! verb {
    (upload) => {
        "post"
    };
    ($method:ident) => {
        stringify!($method)
    };
}

macro_rules! routes {
    ($($method:ident $path:literal => $handler:path;)*) => {
        /// Every route as (method, path), in registration order.
        pub const ROUTES: &[(&str, &str)] = &[$((verb!($method), $path)),*];

        pub(crate) fn router() -> Router<WebState> {
            let mut router = Router::new();
            $(router = router.route($path, method!($method, $handler));)*
            router.fallback(not_found)
        }
    };
}

/// A CSV file to download, named `{organisation}-{scheme}-{what}.csv`.
pub(crate) fn csv_download(
    organisation: &impl std::fmt::Display,
    scheme: &impl std::fmt::Display,
    what: &str,
    body: String,
) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{organisation}-{scheme}-{what}.csv\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Nothing at this address: a page for people, JSON under `/api/` for integrations.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        crate::api::no_such_route().into_response()
    } else {
        WebError::NotFound.into_response()
    }
}

routes! {
    get "/" => home::get;
    get "/healthz" => health::get;
    get "/assets/tandem.css" => assets::stylesheet;
    get "/assets/tandem.js" => assets::script;
    get "/sign-in" => sign_in::get;
    post "/sign-in" => sign_in::post;
    post "/sign-out" => sign_in::sign_out;
    get "/sign-in/code" => two_factor::code_form;
    post "/sign-in/code" => two_factor::complete;
    get "/sign-in/set-up" => two_factor::set_up_at_sign_in;
    post "/sign-in/set-up" => two_factor::complete;
    get "/sign-in/sso" => sso::start;
    get "/sign-in/sso/callback" => sso::callback;
    get "/demo/emails" => demo_emails::page;
    get "/forgot-password" => password::forgot;
    post "/forgot-password" => password::send;
    get "/reset-password/{token}" => password::reset_form;
    post "/reset-password/{token}" => password::reset;
    get "/account" => account::get;
    get "/account/adjustments" => adjustments::page;
    get "/account/password" => account::password_form;
    post "/account/password" => account::change_password;
    get "/account/two-factor" => two_factor::account;
    get "/account/two-factor/set-up" => two_factor::set_up;
    post "/account/two-factor/set-up" => two_factor::confirm;
    post "/account/two-factor/recovery-codes" => two_factor::new_recovery_codes;
    post "/account/two-factor/off" => two_factor::turn_off;
    get "/account/records.zip" => subject_access::own_records;
    get "/account/notifications" => inbox::settings;
    post "/account/notifications" => inbox::save_settings;
    get "/inbox" => inbox::page;
    get "/inbox/{id}" => inbox::open;
    post "/inbox/read" => inbox::read_all;
    post "/account/adjustments" => adjustments::save;
    post "/organisation" => organisation::switch;
    get "/organisations/{code}/schemes/{key}" => schemes::get;
    get "/organisations/{code}/schemes/{key}/apply/{role}" => applications::apply_form;
    post "/organisations/{code}/schemes/{key}/apply/{role}" => applications::apply;
    get "/applications" => applications::mine;
    get "/applications/{id}/applied" => applied::page;
    post "/applications/{id}/ethics" => applications::acknowledge;
    get "/applications/{id}/withdraw" => withdrawal::check;
    post "/applications/{id}/withdraw" => withdrawal::withdraw;
    post "/applications/{id}/decision" => decisions::decide;
    post "/applications/{id}/priority" => decisions::priority;
    post "/applications/{id}/training" => training::record;
    get "/approvals" => decisions::approvals;
    get "/organisations/{code}/schemes/{key}/directory" => matching::directory;
    post "/mentors/{id}/request" => matching::request;
    post "/matches/{id}/answer" => matching::answer;
    post "/matches/{id}/confirm" => matching::confirm;
    get "/matches/{id}/end" => matching::end_check;
    post "/matches/{id}/end" => matching::end;
    get "/relationships/{id}" => relationships::page;
    post "/relationships/{id}/introduction" => relationships::introduction;
    post "/relationships/{id}/go-on" => relationships::go_on;
    post "/relationships/{id}/stop" => relationships::stop;
    post "/relationships/{id}/sessions" => relationships::session;
    post "/relationships/{id}/goals" => relationships::add_goal;
    post "/relationships/{id}/goals/{goal}" => relationships::goal_status;
    post "/relationships/{id}/actions" => relationships::add_action;
    post "/relationships/{id}/actions/{action}" => relationships::action_done;
    post "/relationships/{id}/reviews" => relationships::review;
    post "/relationships/{id}/extensions" => relationships::propose_extension;
    post "/relationships/{id}/extensions/{extension}" => relationships::answer_extension;
    post "/relationships/{id}/interview-panel" => relationships::interview_panel;
    post "/relationships/{id}/flags/{flag}/declaration" => relationships::declaration;
    post "/relationships/{id}/concerns" => relationships::raise_concern;
    post "/relationships/{id}/check-ins" => relationships::check_in_answer;
    get "/relationships/{id}/end" => relationships::end_check;
    post "/relationships/{id}/end" => relationships::end;
    post "/relationships/{id}/hold" => relationships::hold;
    post "/relationships/{id}/resume" => relationships::resume;
    post "/relationships/{id}/closing" => relationships::start_closing;
    post "/relationships/{id}/closing-review" => relationships::closing_review;
    post "/relationships/{id}/evaluation" => relationships::evaluation;
    post "/meetings/{id}/held" => relationships::held;
    post "/meetings/{id}/cancel" => relationships::cancel;
    post "/meetings/{id}/notes" => relationships::notes;
    get "/meetings/{id}/calendar.ics" => relationships::calendar;
    post "/workshops/{id}/book" => training::book;
    post "/workshops/{id}/attendance" => training::attendance;
    post "/bookings/{id}/cancel" => training::cancel;
    post "/bookings/{id}/priority" => training::priority;
    get "/people" => people::directory;
    get "/people/import" => import::form;
    upload "/people/import" => import::upload;
    upload "/people/import/problems" => import::problems;
    post "/people/import/{id}/confirm" => import::confirm;
    get "/people/import/{id}" => import::done;
    get "/people/{id}" => people::person;
    post "/people/{id}/roles" => people::grant;
    post "/people/{id}/roles/{grant}/delete" => people::revoke;
    get "/people/{id}/records.zip" => subject_access::person_records;
    get "/people/{id}/erase" => subject_access::confirm;
    post "/people/{id}/erase" => subject_access::erase;
    post "/people/{id}/two-factor/reset" => two_factor::reset;
    get "/audit" => audit::get;
    get "/settings" => settings::get;
    get "/api-tokens" => tokens::list;
    post "/api-tokens" => tokens::issue;
    post "/api-tokens/{id}/revoke" => tokens::revoke;
    post "/settings" => settings::post;
    get "/settings/two-factor" => two_factor::settings;
    post "/settings/two-factor" => two_factor::save_settings;
    get "/accessibility" => accessibility::statement;
    get "/settings/accessibility" => accessibility::settings;
    post "/settings/accessibility" => accessibility::save;
    post "/settings/accessibility/issues" => accessibility::add_issue;
    post "/settings/accessibility/issues/{id}/delete" => accessibility::remove_issue;
    get "/settings/records" => records::show;
    post "/settings/records" => records::save;
    post "/settings/records/dispose" => records::dispose;
    get "/schemes" => scheme_admin::list;
    post "/schemes" => scheme_admin::create;
    get "/schemes/{key}/edit" => scheme_admin::edit;
    post "/schemes/{key}/edit" => scheme_admin::save;
    get "/schemes/{key}/close" => scheme_admin::close_check;
    post "/schemes/{key}/status" => scheme_admin::status;
    get "/schemes/{key}/applications" => decisions::of_scheme;
    get "/schemes/{key}/applications.csv" => decisions::of_scheme_csv;
    get "/schemes/{key}/workshops" => training::list;
    post "/schemes/{key}/workshops" => training::schedule;
    get "/schemes/{key}/matching" => matching::board;
    post "/schemes/{key}/matching/run" => matching::run;
    post "/schemes/{key}/matching/run/cancel" => matching::cancel_run;
    get "/schemes/{key}/matching/progress" => matching::progress;
    get "/schemes/{key}/matching/pairs/{id}" => matching::pair;
    get "/schemes/{key}/matching/confirm-all" => matching::confirm_all_check;
    post "/schemes/{key}/matching/confirm-all" => matching::confirm_all;
    post "/schemes/{key}/matching/pick" => matching::pick;
    post "/schemes/{key}/matching/constraints" => matching::constrain;
    post "/schemes/{key}/matching/constraints/delete" => matching::unconstrain;
    get "/schemes/{key}/matches.csv" => matching::csv;
    get "/schemes/{key}/relationships" => relationships::of_scheme;
    get "/schemes/{key}/relationships.csv" => relationships::of_scheme_csv;
    get "/schemes/{key}/relationships/{id}" => relationships::staff_relationship;
    post "/schemes/{key}/relationships/{id}/keep-open" => relationships::keep_open;
    get "/schemes/{key}/relationships/{id}/end" => relationships::staff_end_check;
    post "/schemes/{key}/relationships/{id}/end" => relationships::staff_end;
    get "/schemes/{key}/attention" => relationships::attention;
    post "/flags/{id}/decision" => relationships::flag_decision;
    get "/schemes/{key}/concerns" => relationships::concerns_list;
    get "/concerns/{id}" => relationships::concern_page;
    post "/concerns/{id}/outcome" => relationships::concern_outcome;
    get "/schemes/{key}/invitations" => invitations::list;
    post "/schemes/{key}/invitations" => invitations::invite;
    get "/schemes/{key}/invitations/withdraw" => invitations::withdraw_check;
    post "/schemes/{key}/invitations/withdraw" => invitations::withdraw;
    get "/reports" => reports::dashboard;
    get "/reports/equality" => equality::show;
    post "/reports/equality/threshold" => equality::save_threshold;
    get "/reports/evaluation" => evaluation::show;
    post "/reports/evaluation/themes" => evaluation::tag;
    post "/reports/evaluation/theme-list" => evaluation::add_theme;
    post "/reports/evaluation/theme-list/remove" => evaluation::remove_theme;
    get "/reports/{file}" => reports::download;
    get "/schemes/{key}/supply" => invitations::supply;
    post "/schemes/{key}/supply/appeal" => invitations::appeal;
}
