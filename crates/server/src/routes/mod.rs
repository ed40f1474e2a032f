//! The JSON API: one module per area, each with its handlers. [`groups`] registers every
//! route once, with the scope its group needs; [`router`] serves them behind their key
//! checks and [`describe`] derives the OpenAPI document from the same registrations.

pub mod admin;
pub mod guardians;
pub mod health;
pub mod intel;
pub mod registry;
pub mod risk;
pub mod scan;
pub mod sessions;

use crate::auth;
use crate::openapi;
use crate::state::AppState;
use axum::middleware::from_fn_with_state;
use scamguard_store::Scope;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes and the API key scope they need (`None`: no key).
type Group = (Option<Scope>, OpenApiRouter<AppState>);

/// Every API route, by the scope it needs.
fn groups() -> Vec<Group> {
    let platform = OpenApiRouter::new()
        .routes(routes!(sessions::open))
        .routes(routes!(sessions::timeline))
        .routes(routes!(sessions::event))
        .routes(routes!(scan::message))
        .routes(routes!(scan::urls))
        .routes(routes!(intel::report))
        .routes(routes!(guardians::register))
        .routes(routes!(guardians::withdraw));
    let admin = OpenApiRouter::new()
        .routes(routes!(admin::reload))
        .routes(routes!(admin::dry_run))
        .routes(routes!(admin::audit))
        .routes(routes!(admin::sessions))
        .routes(routes!(registry::list, registry::create))
        .routes(routes!(registry::show))
        .routes(routes!(registry::set_status))
        .routes(routes!(registry::add_key))
        .routes(routes!(registry::revoke_key))
        .routes(routes!(registry::export))
        .routes(routes!(registry::import))
        .routes(routes!(registry::audit))
        .routes(routes!(intel::decide, intel::reputation))
        .routes(routes!(intel::campaigns))
        .routes(routes!(intel::campaign))
        .routes(routes!(intel::campaign_stix))
        .routes(routes!(intel::campaign_csv));
    let bank = OpenApiRouter::new().routes(routes!(risk::lookup));
    let open = OpenApiRouter::new()
        .routes(routes!(risk::jwks))
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(health::metrics))
        .routes(routes!(openapi::document));
    vec![
        (Some(Scope::Scan), platform),
        (Some(Scope::Bank), bank),
        (Some(Scope::Admin), admin),
        (None, open),
    ]
}

/// Every API route behind its key check, with the OpenAPI document they make.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    assemble(Some(state))
}

/// The OpenAPI document of every API route.
pub fn describe() -> utoipa::openapi::OpenApi {
    assemble(None).into_openapi()
}

fn assemble(state: Option<&AppState>) -> OpenApiRouter<AppState> {
    let mut all = OpenApiRouter::with_openapi(<openapi::ApiDoc as utoipa::OpenApi>::openapi());
    for (scope, mut routes) in groups() {
        if let Some(scope) = scope {
            if let Some(state) = state {
                routes =
                    routes.route_layer(from_fn_with_state((state.clone(), scope), auth::require));
            }
            openapi::require_key(routes.get_openapi_mut(), scope.as_str());
        }
        all = all.merge(routes);
    }
    openapi::common_responses(all.get_openapi_mut());
    all
}
