//! The curation page (`/console/curation`): the featured listings in their order, each with its
//! schedule, a form to feature one more (or reschedule one already featured), and the home page's
//! sections with their order, visibility and schedule. Every change reloads the lists.

use crate::components::form::{field_error, form_error};
use crate::components::styles::{BUTTON_TINY, CHECKBOX, CHECK_LABEL, FIELD_ERROR, HINT, INPUT, LABEL, LINK, TD};
use crate::components::{
    notify_and_reload, query_param, DataTable, DetailResult, DoneNotice, ForbiddenState, FormAlert, Section,
    StatusBadge, SubmitButton, Tone,
};
use crate::curation::api::{
    curation_overview, FeatureListing, MoveFeatured, MoveHomeSection, SaveHomeSection, UnfeatureListing,
};
use crate::curation::model::{Curation, FeatureRow, SectionRow};
use crate::domain::curation::format_local_time;
use crate::domain::permissions::CURATION_MANAGE;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::t;
use leptos::prelude::*;

/// A schedule end as the form's field shows it (empty when open).
fn local(ms: Option<i64>, offset: i32) -> String {
    ms.map(|ms| format_local_time(ms, offset)).unwrap_or_default()
}

/// "from – to" for a table cell, in the platform's time zone.
fn schedule_text(starts: Option<i64>, ends: Option<i64>, offset: i32) -> impl IntoView {
    let (s, e) = (local(starts, offset).replace('T', " "), local(ends, offset).replace('T', " "));
    if s.is_empty() && e.is_empty() {
        return view! { <span class="text-slate-500">{t("curation.always")}</span> }.into_any();
    }
    view! {
        <span class="tabular-nums">
            {if s.is_empty() { view! { <span>{t("curation.open_start")}</span> }.into_any() } else { view! { <span>{s}</span> }.into_any() }}
            " – "
            {if e.is_empty() { view! { <span>{t("curation.open_end")}</span> }.into_any() } else { view! { <span>{e}</span> }.into_any() }}
        </span>
    }
    .into_any()
}

#[component]
pub fn CurationPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(CURATION_MANAGE)) {
        return view! { <PageHeader title="curation.title" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let feature = ServerAction::<FeatureListing>::new();
    let unfeature = ServerAction::<UnfeatureListing>::new();
    let move_featured = ServerAction::<MoveFeatured>::new();
    let move_section = ServerAction::<MoveHomeSection>::new();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    notify_and_reload(move || feature.value().get(), refresh, notice, "curation.saved");
    notify_and_reload(move || unfeature.value().get(), refresh, notice, "curation.unfeatured");
    notify_and_reload(move || move_featured.value().get(), refresh, notice, "curation.saved");
    notify_and_reload(move || move_section.value().get(), refresh, notice, "curation.saved");
    let data = Resource::new(move || refresh.get(), |_| curation_overview());
    let acts = RowActions { unfeature, move_featured, move_section, refresh, notice };
    view! {
        <PageHeader title="curation.title" crumbs=vec![]/>
        <p class="mb-4 max-w-3xl text-sm text-slate-600">{t("curation.intro")}</p>
        <div class="mb-4"><DoneNotice notice/></div>
        <div class="space-y-6">
            <FeatureForm action=feature/>
            <DetailResult resource=data let:c>
                <CurationBody c acts/>
            </DetailResult>
        </div>
    }
    .into_any()
}

#[derive(Clone, Copy)]
struct RowActions {
    unfeature: ServerAction<UnfeatureListing>,
    move_featured: ServerAction<MoveFeatured>,
    move_section: ServerAction<MoveHomeSection>,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
}

#[component]
fn CurationBody(c: Curation, acts: RowActions) -> impl IntoView {
    let offset = c.utc_offset_minutes;
    let (moving, unfeaturing) =
        (form_error(move || acts.move_featured.value().get()), form_error(move || acts.unfeature.value().get()));
    let move_errors = Signal::derive(move || moving.get().or_else(|| unfeaturing.get()));
    let section_error = form_error(move || acts.move_section.value().get());
    let count = c.sections.len();
    view! {
        <Section id="featured-title" title=t("curation.featured") testid="featured-list">
            <FormAlert error=move_errors/>
            {if c.features.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-500" data-testid="featured-empty">{t("curation.featured_empty")}</p> }.into_any()
            } else {
                let last = c.features.len();
                let rows = c.features.into_iter().enumerate().map(|(i, f)| view! {
                    <FeatureLine f first={i == 0} last={i + 1 == last} offset acts/>
                }).collect_view();
                view! {
                    <div class="mt-3">
                        <DataTable caption="curation.featured" testid="featured-table"
                            columns=vec!["curation.col.order", "curation.col.listing", "curation.col.schedule", "curation.col.state", "curation.col.actions"]>
                            {rows}
                        </DataTable>
                    </div>
                }.into_any()
            }}
        </Section>
        <Section id="sections-title" title=t("curation.sections") testid="sections-list">
            <p class="mt-1 text-sm text-slate-600">{t("curation.sections_hint")}</p>
            <FormAlert error=section_error/>
            <ol class="mt-3 space-y-3">
                {c.sections.into_iter().enumerate().map(|(i, s)| view! {
                    <SectionLine s first={i == 0} last={i + 1 == count} offset acts/>
                }).collect_view()}
            </ol>
        </Section>
    }
}

/// The form that features a listing (or reschedules one already featured).
#[component]
fn FeatureForm(action: ServerAction<FeatureListing>) -> impl IntoView {
    let result = move || action.value().get();
    // The directory's "feature" link arrives with the listing's id filled in.
    let listing = query_param("listing")().unwrap_or_default();
    view! {
        <Section id="feature-title" title=t("curation.feature") testid="feature-card">
            <p class="mt-1 text-sm text-slate-600">{t("curation.feature_hint")}</p>
            <ActionForm action=action attr:class="mt-4 grid gap-4 sm:grid-cols-4 sm:items-start" attr:data-testid="feature-form">
                <ScheduleInput name="listing_id" label="curation.listing_id" kind="text" value=listing
                    error=field_error(result, "listing_id") required=true/>
                <ScheduleInput name="starts_at" label="curation.starts_at" kind="datetime-local" value=String::new()
                    error=field_error(result, "starts_at")/>
                <ScheduleInput name="ends_at" label="curation.ends_at" kind="datetime-local" value=String::new()
                    error=field_error(result, "ends_at")/>
                <div class="space-y-2 sm:pt-6">
                    <SubmitButton label="curation.feature_submit" pending=action.pending()/>
                </div>
                <div class="sm:col-span-4"><FormAlert error=form_error(result)/></div>
            </ActionForm>
        </Section>
    }
}

/// One labelled input with its error under it (`field-<name>` unless `id` is given).
#[component]
fn ScheduleInput(
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] required: bool,
    #[prop(optional)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let err_id = format!("{id}-error");
    let err_id2 = err_id.clone();
    view! {
        <div class="space-y-1">
            <label for=id.clone() class=LABEL>{t(label)}</label>
            <input id=id name=name type=kind value=value required=required class=INPUT
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=move || error.get().map(|_| err_id.clone()).unwrap_or_default()/>
            {move || error.get().map(|e| view! { <p id=err_id2.clone() class=FIELD_ERROR data-testid=format!("error-{name}")>{e}</p> })}
        </div>
    }
}

#[component]
fn FeatureLine(f: FeatureRow, first: bool, last: bool, offset: i32, acts: RowActions) -> impl IntoView {
    let id = f.listing_id;
    let (tone, label) = match (f.featured_now, f.listing_status.as_str()) {
        (true, _) => (Tone::Success, "curation.state.on_home"),
        (false, "active" | "sold_out") => (Tone::Neutral, "curation.state.scheduled"),
        _ => (Tone::Warning, "curation.state.not_live"),
    };
    view! {
        <tr data-testid="featured-row" data-listing=id.to_string()>
            <td class=format!("{TD} tabular-nums")>{f.position}</td>
            <td class=TD>
                <a href=format!("/console/listings/{id}") class=LINK>{f.title}</a>
                <div class=HINT>{f.seller_name}" · #"{id}</div>
            </td>
            <td class=TD>{schedule_text(f.starts_at_ms, f.ends_at_ms, offset)}</td>
            <td class=TD><StatusBadge tone label=t(label) testid="featured-state"/></td>
            <td class=TD>
                <div class="flex flex-wrap gap-1">
                    <MoveButton action=acts.move_featured id first last/>
                    <ActionForm action=acts.unfeature>
                        <input type="hidden" name="listing_id" value=id/>
                        <button type="submit" class=BUTTON_TINY data-testid="unfeature">{t("curation.unfeature")}</button>
                    </ActionForm>
                </div>
            </td>
        </tr>
    }
}

#[component]
fn MoveButton(action: ServerAction<MoveFeatured>, id: i64, first: bool, last: bool) -> impl IntoView {
    view! {
        <ActionForm action=action>
            <input type="hidden" name="listing_id" value=id/>
            <input type="hidden" name="direction" value="up"/>
            <button type="submit" class=BUTTON_TINY disabled=first data-testid="move-up">{t("curation.move_up")}</button>
        </ActionForm>
        <ActionForm action=action>
            <input type="hidden" name="listing_id" value=id/>
            <input type="hidden" name="direction" value="down"/>
            <button type="submit" class=BUTTON_TINY disabled=last data-testid="move-down">{t("curation.move_down")}</button>
        </ActionForm>
    }
}

/// One section: its order buttons, and its own form (visible, from, to) with errors next to fields.
#[component]
fn SectionLine(s: SectionRow, first: bool, last: bool, offset: i32, acts: RowActions) -> impl IntoView {
    let save = ServerAction::<SaveHomeSection>::new();
    notify_and_reload(move || save.value().get(), acts.refresh, acts.notice, "curation.saved");
    let result = move || save.value().get();
    let key = s.key.clone();
    let (tone, label) = if s.shown_now {
        (Tone::Success, "curation.section.shown")
    } else {
        (Tone::Neutral, "curation.section.hidden")
    };
    let name_key = match s.key.as_str() {
        "categories" => "curation.section.categories",
        "featured" => "curation.section.featured",
        _ => "curation.section.newest",
    };
    let (key_up, key_down, key_save) = (key.clone(), key.clone(), key.clone());
    let (visible_id, starts_id, ends_id) =
        (format!("section-{key}-visible"), format!("section-{key}-starts_at"), format!("section-{key}-ends_at"));
    view! {
        <li class="rounded-lg border border-slate-200 p-4" data-testid="section-row" data-key=key>
            <div class="flex flex-wrap items-center justify-between gap-2">
                <div class="flex items-center gap-3">
                    <span class="text-sm font-semibold text-slate-900">{t(name_key)}</span>
                    <StatusBadge tone label=t(label) testid="section-state"/>
                </div>
                <div class="flex gap-1">
                    <ActionForm action=acts.move_section>
                        <input type="hidden" name="key" value=key_up/>
                        <input type="hidden" name="direction" value="up"/>
                        <button type="submit" class=BUTTON_TINY disabled=first data-testid="section-up">{t("curation.move_up")}</button>
                    </ActionForm>
                    <ActionForm action=acts.move_section>
                        <input type="hidden" name="key" value=key_down/>
                        <input type="hidden" name="direction" value="down"/>
                        <button type="submit" class=BUTTON_TINY disabled=last data-testid="section-down">{t("curation.move_down")}</button>
                    </ActionForm>
                </div>
            </div>
            <ActionForm action=save attr:class="mt-3 grid gap-3 sm:grid-cols-4 sm:items-start" attr:data-testid="section-form">
                <input type="hidden" name="key" value=key_save/>
                <div class="flex items-center gap-2 sm:pt-7">
                    <input id=visible_id.clone() type="checkbox" name="visible" value="1" checked=s.visible class=CHECKBOX/>
                    <label for=visible_id class=CHECK_LABEL>{t("curation.visible")}</label>
                </div>
                <ScheduleInput name="starts_at" label="curation.starts_at" kind="datetime-local" id=starts_id
                    value=local(s.starts_at_ms, offset) error=field_error(result, "starts_at")/>
                <ScheduleInput name="ends_at" label="curation.ends_at" kind="datetime-local" id=ends_id
                    value=local(s.ends_at_ms, offset) error=field_error(result, "ends_at")/>
                <div class="sm:pt-6"><SubmitButton label="curation.section_save" pending=save.pending()/></div>
                <div class="sm:col-span-4"><FormAlert error=form_error(result)/></div>
            </ActionForm>
        </li>
    }
}
