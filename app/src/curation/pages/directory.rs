//! The console's listing directory (`/console/listings`): every listing, newest first, filtered by
//! seller, category, status, price and creation date (a GET form, so a filtered view can be
//! bookmarked), with keyset pages.

use super::status_tone;
use crate::categories::api::category_tree;
use crate::components::styles::{INPUT, LABEL, TD};
use crate::components::{
    list_filter_error, money, query_param, shown_by_filters, DataTable, FilterBar, ForbiddenState, ListResult,
    SelectFilter, StatusBadge, TextFilter, Time,
};
use crate::curation::api::list_listing_directory;
use crate::curation::model::{status_key, DirectoryRow};
use crate::domain::listing::ListingStatus;
use crate::domain::permissions::LISTINGS_VIEW;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, use_lang, Lang};
use leptos::prelude::*;

/// The query parameters of the directory's filters (the pager carries them).
const KEEP: &[&str] = &["seller", "category", "status", "min", "max", "from", "to"];

#[component]
pub fn DirectoryPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(LISTINGS_VIEW)) {
        return view! { <PageHeader title="listing_directory.title" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let q: Vec<_> = KEEP.iter().map(|k| query_param(k)).collect();
    let cursor = query_param("cursor");
    let q2 = q.clone();
    let listings = Resource::new(
        move || (q2.iter().map(|p| p()).collect::<Vec<_>>(), cursor()),
        |(v, cur)| {
            let mut v = v.into_iter();
            let mut next = move || v.next().flatten();
            let (s, c, st, mi, ma, f, to) = (next(), next(), next(), next(), next(), next(), next());
            list_listing_directory(s, c, st, mi, ma, f, to, cur)
        },
    );
    let statuses = ListingStatus::ALL.into_iter().map(|s| (s.as_str(), status_key(s).to_string())).collect::<Vec<_>>();
    view! {
        <PageHeader title="listing_directory.title" crumbs=vec![]/>
        <div class="mb-4">
            <FilterBar action="/console/listings" label="listing_directory.filters" testid="directory-filters"
                error=list_filter_error(listings)>
                <TextFilter name="seller" label="listing_directory.filter.seller"/>
                <CategoryFilter/>
                <SelectFilter name="status" label="listing_directory.filter.status" all="listing_directory.filter.all" options=statuses/>
                <TextFilter name="min" label="listing_directory.filter.min" maxlength=20/>
                <TextFilter name="max" label="listing_directory.filter.max" maxlength=20/>
                <TextFilter name="from" label="listing_directory.filter.from" kind="date" maxlength=10/>
                <TextFilter name="to" label="listing_directory.filter.to" kind="date" maxlength=10/>
            </FilterBar>
        </div>
        <ListResult resource=listings empty="listing_directory.empty" empty_hint="listing_directory.empty_hint" keep=KEEP
            on_error=shown_by_filters let:rows>
            <DirectoryTable rows/>
        </ListResult>
    }
    .into_any()
}

/// A category's name in `lang`, indented by depth for a flat select.
pub(super) fn category_label(lang: Lang, name_en: &str, name_zh: &str, depth: usize) -> String {
    let name = if lang == Lang::Zh && !name_zh.is_empty() { name_zh } else { name_en };
    format!("{}{name}", "— ".repeat(depth))
}

/// The category filter: every category (disabled ones too: their listings are still in the
/// directory), in tree order.
#[component]
fn CategoryFilter() -> impl IntoView {
    let lang = use_lang();
    let current = query_param("category");
    let tree = Resource::new(|| (), |_| category_tree(true));
    view! {
        <div class="w-48 space-y-1">
            <label for="filter-category" class=LABEL>{t("listing_directory.filter.category")}</label>
            <select id="filter-category" name="category" class=INPUT>
                <option value="">{t("listing_directory.filter.all")}</option>
                <Transition fallback=|| ()>
                    {move || tree.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|n| {
                        let id = n.id.to_string();
                        let selected = current().as_deref() == Some(id.as_str());
                        view! { <option value=id selected=selected>{category_label(lang.get(), &n.name_en, &n.name_zh, n.depth)}</option> }
                    }).collect_view()}
                </Transition>
            </select>
        </div>
    }
}

#[component]
fn DirectoryTable(rows: Vec<DirectoryRow>) -> impl IntoView {
    let lang = use_lang();
    let columns = vec![
        "listing_directory.col.listing",
        "listing_directory.col.seller",
        "listing_directory.col.category",
        "listing_directory.col.status",
        "listing_directory.col.price",
        "listing_directory.col.created",
    ];
    view! {
        <DataTable caption="listing_directory.caption" columns testid="directory-table">
            {rows.into_iter().map(|r| {
                let category = match (&r.category_en, &r.category_zh) {
                    (Some(en), zh) => category_label(lang.get_untracked(), en, zh.as_deref().unwrap_or(""), 0),
                    _ => "—".to_string(),
                };
                view! {
                    <tr data-testid="directory-row" data-listing=r.id.to_string()>
                        <td class=TD>
                            <a href=format!("/console/listings/{}", r.id) class="font-medium text-indigo-700 hover:underline">{r.title}</a>
                            <div class="text-xs text-slate-500">"#"{r.id}</div>
                        </td>
                        <td class=TD>
                            {r.seller_name}
                            <div class="text-xs text-slate-500">"#"{r.organisation_id}</div>
                        </td>
                        <td class=TD>{category}</td>
                        <td class=TD><StatusBadge tone=status_tone(r.status) label=t(status_key(r.status)) status=r.status.as_str().to_string()/></td>
                        <td class=format!("{TD} tabular-nums")>{money(r.price_minor, r.currency)}</td>
                        <td class=TD><Time ms=r.created_at_ms/></td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
