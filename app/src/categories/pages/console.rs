//! `/console/categories`: the tree, a form to create a category, and per category: rename, move,
//! disable or enable. Each change reloads the tree, so the page shows what is stored (including
//! which categories are hidden from browse because an ancestor is disabled).

use crate::categories::api::category_tree;
use crate::categories::console_api::{CreateCategory, DisableCategory, EnableCategory, MoveCategory, RenameCategory};
use crate::categories::model::CategoryNode;
use crate::components::form::{field_error, form_error};
use crate::components::styles::{BUTTON_SECONDARY_SMALL, FIELD_ERROR, HINT, INPUT, LABEL};
use crate::components::{
    DetailResult, DoneNotice, ForbiddenState, FormAlert, Section, StatusBadge, SubmitButton, Tone,
};
use crate::domain::category::{subtree, TreeNode, MAX_DEPTH};
use crate::domain::permissions::CATEGORIES_MANAGE;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, use_lang};
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;

/// A labelled input with its own id (several forms share the page) and its error below.
#[component]
fn CategoryInput(
    id: String,
    label: &'static str,
    name: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = true)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let err_id = format!("{id}-error");
    let err_id2 = err_id.clone();
    view! {
        <div class="space-y-1">
            <label for=id.clone() class=LABEL>{t(label)}</label>
            <input id=id name=name type="text" value=value maxlength="60" required=required class=INPUT
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=move || if error.get().is_some() { err_id.clone() } else { String::new() }/>
            {hint.map(|h| view! { <p class=HINT>{t(h)}</p> })}
            {move || error.get().map(|e| view! { <p id=err_id2.clone() class=FIELD_ERROR data-testid=format!("error-{name}")>{e}</p> })}
        </div>
    }
}

/// The parent select: top level, or any category that is not `exclude` (the moved one and its
/// subtree) and still has room for a child.
#[component]
fn ParentSelect(
    id: String,
    nodes: Vec<CategoryNode>,
    #[prop(optional)] exclude: Vec<i64>,
    #[prop(default = None)] selected: Option<i64>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let err_id = format!("{id}-error");
    let err_id2 = err_id.clone();
    view! {
        <div class="space-y-1">
            <label for=id.clone() class=LABEL>{t("categories.parent")}</label>
            <select id=id name="parent_id" class=INPUT
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=move || if error.get().is_some() { err_id.clone() } else { String::new() }>
                <option value="" selected=selected.is_none()>{t("categories.top_level")}</option>
                {nodes.into_iter().filter(|n| !exclude.contains(&n.id) && n.depth + 1 < MAX_DEPTH).map(|n| {
                    let indent = "\u{00a0}\u{00a0}".repeat(n.depth);
                    let node = n.clone();
                    view! {
                        <option value=n.id.to_string() selected=selected == Some(n.id)>
                            {move || format!("{indent}{}", node.name(lang.get()))}
                        </option>
                    }
                }).collect_view()}
            </select>
            {move || error.get().map(|e| view! { <p id=err_id2.clone() class=FIELD_ERROR data-testid="error-parent_id">{e}</p> })}
        </div>
    }
}

/// Resets a form after its action succeeded and bumps `refresh` so the tree reloads.
fn on_success<T: 'static>(
    value: impl Fn() -> Option<Result<T, AppError>> + 'static,
    form: Option<NodeRef<html::Form>>,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
    done: &'static str,
) {
    Effect::new(move |_| match value() {
        Some(Ok(_)) => {
            if let Some(f) = form.and_then(|f| f.get_untracked()) {
                f.reset();
            }
            notice.set(Some(done));
            refresh.update(|n| *n += 1);
        }
        Some(Err(_)) => notice.set(None),
        None => {}
    });
}

#[component]
pub fn CategoriesPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(CATEGORIES_MANAGE)) {
        return view! {
            <Title text=crate::i18n::title("console.categories")/>
            <PageHeader title="console.categories" crumbs=vec![]/><ForbiddenState/>
        }
        .into_any();
    }
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    let tree = Resource::new(move || refresh.get(), |_| category_tree(true));
    let create = ServerAction::<CreateCategory>::new();
    let create_form = NodeRef::<html::Form>::new();
    on_success(move || create.value().get(), Some(create_form), refresh, notice, "categories.created");
    let result = move || create.value().get();
    view! {
        <Title text=crate::i18n::title("console.categories")/>
        <PageHeader title="console.categories" crumbs=vec![]/>
        <div class="mb-4"><DoneNotice notice/></div>
        <div class="grid gap-6 lg:grid-cols-3">
            <Section id="tree-title" title=t("categories.tree") class="rounded-xl border border-slate-200 bg-white pt-4 lg:col-span-2">
                <div class="mt-3 border-t border-slate-200">
                    <DetailResult resource=tree let:nodes>
                        <Tree nodes refresh notice/>
                    </DetailResult>
                </div>
            </Section>
            <Section id="create-title" title=t("categories.create") class="h-fit rounded-xl border border-slate-200 bg-white p-6">
                <ActionForm action=create node_ref=create_form attr:class="mt-4 space-y-4" attr:data-testid="create-category-form">
                    <CategoryInput id="new-name_en".into() label="categories.name_en" name="name_en" error=field_error(result, "name_en")/>
                    <CategoryInput id="new-name_zh".into() label="categories.name_zh" name="name_zh" error=field_error(result, "name_zh")/>
                    <CategoryInput id="new-slug".into() label="categories.slug" name="slug" required=false hint="categories.slug_hint" error=field_error(result, "slug")/>
                    <Transition fallback=|| ()>
                        {move || tree.get().map(|r| {
                            let nodes = r.unwrap_or_default();
                            view! { <ParentSelect id="new-parent".into() nodes error=field_error(result, "parent_id")/> }
                        })}
                    </Transition>
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label="categories.create_submit" pending=create.pending()/>
                </ActionForm>
            </Section>
        </div>
    }
    .into_any()
}

/// The whole tree, one row per category in depth-first order, or what to do when there is none.
#[component]
fn Tree(nodes: Vec<CategoryNode>, refresh: RwSignal<u32>, notice: RwSignal<Option<&'static str>>) -> impl IntoView {
    if nodes.is_empty() {
        return crate::components::list::empty_state("categories.empty", Some("categories.empty_hint"));
    }
    let all = nodes.clone();
    view! {
        <ul class="divide-y divide-slate-100" data-testid="category-tree">
            {nodes.into_iter().map(|n| view! { <CategoryRow node=n all=all.clone() refresh notice/> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Disabled, hidden because an ancestor is disabled, or shown in browse.
fn tone(node: &CategoryNode) -> (&'static str, Tone) {
    if node.disabled {
        ("categories.status.disabled", Tone::Neutral)
    } else if !node.browsable {
        ("categories.status.hidden", Tone::Warning)
    } else {
        ("categories.status.enabled", Tone::Success)
    }
}

#[component]
fn CategoryRow(
    node: CategoryNode,
    all: Vec<CategoryNode>,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = node.id;
    let rename = ServerAction::<RenameCategory>::new();
    let move_action = ServerAction::<MoveCategory>::new();
    let disable = ServerAction::<DisableCategory>::new();
    let enable = ServerAction::<EnableCategory>::new();
    on_success(move || rename.value().get(), None, refresh, notice, "categories.renamed");
    on_success(move || move_action.value().get(), None, refresh, notice, "categories.moved");
    on_success(move || disable.value().get(), None, refresh, notice, "categories.disabled_done");
    on_success(move || enable.value().get(), None, refresh, notice, "categories.enabled_done");
    let rename_result = move || rename.value().get();
    let move_result = move || move_action.value().get();
    let toggle_error = Signal::derive({
        let d = form_error(move || disable.value().get());
        let e = form_error(move || enable.value().get());
        move || d.get().or_else(|| e.get())
    });
    let tree_nodes: Vec<TreeNode> =
        all.iter().map(|n| TreeNode { id: n.id, parent_id: n.parent_id, enabled: !n.disabled }).collect();
    let exclude = subtree(&tree_nodes, id);
    let indent = match node.depth {
        0 => "",
        1 => "pl-8",
        2 => "pl-14",
        _ => "pl-20",
    };
    let (status_key, status_tone) = tone(&node);
    let shown = node.clone();
    let other = node.clone();
    let slug = node.slug.clone();
    let disabled = node.disabled;
    view! {
        <li class=format!("px-4 py-3 {indent}") data-testid="category-row" data-slug=slug.clone()>
            <div class="flex flex-wrap items-center gap-x-3 gap-y-1">
                <span class="font-medium" data-testid="category-name">{move || shown.name(lang.get()).to_string()}</span>
                <span class="text-xs text-slate-500">
                    {move || match lang.get() { crate::i18n::Lang::En => other.name_zh.clone(), crate::i18n::Lang::Zh => other.name_en.clone() }}
                    " · " <code>{slug.clone()}</code>
                </span>
                <StatusBadge tone=status_tone label=t(status_key) testid="category-status"/>
                <div class="ml-auto flex items-center gap-2">
                    {if disabled {
                        view! {
                            <ActionForm action=enable attr:data-testid="enable-form">
                                <input type="hidden" name="id" value=id/>
                                <button type="submit" class=BUTTON_SECONDARY_SMALL disabled=move || enable.pending().get()>{t("categories.enable")}</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! {
                            <ActionForm action=disable attr:data-testid="disable-form">
                                <input type="hidden" name="id" value=id/>
                                <button type="submit" class=BUTTON_SECONDARY_SMALL disabled=move || disable.pending().get()>{t("categories.disable")}</button>
                            </ActionForm>
                        }.into_any()
                    }}
                </div>
            </div>
            {move || toggle_error.get().map(|e| view! { <p role="alert" class=format!("mt-1 {FIELD_ERROR}")>{e}</p> })}
            <details class="mt-2">
                <summary class="cursor-pointer text-sm text-indigo-700 hover:underline">{t("categories.edit")}</summary>
                <div class="mt-3 grid gap-4 md:grid-cols-2">
                    <ActionForm action=rename attr:class="space-y-3" attr:data-testid="rename-form">
                        <input type="hidden" name="id" value=id/>
                        <CategoryInput id=format!("c{id}-name_en") label="categories.name_en" name="name_en" value=node.name_en.clone() error=field_error(rename_result, "name_en")/>
                        <CategoryInput id=format!("c{id}-name_zh") label="categories.name_zh" name="name_zh" value=node.name_zh.clone() error=field_error(rename_result, "name_zh")/>
                        <CategoryInput id=format!("c{id}-slug") label="categories.slug" name="slug" value=node.slug.clone() error=field_error(rename_result, "slug")/>
                        <FormAlert error=form_error(rename_result)/>
                        <SubmitButton label="categories.rename" pending=rename.pending()/>
                    </ActionForm>
                    <ActionForm action=move_action attr:class="space-y-3" attr:data-testid="move-form">
                        <input type="hidden" name="id" value=id/>
                        <ParentSelect id=format!("c{id}-parent") nodes=all exclude selected=node.parent_id error=field_error(move_result, "parent_id")/>
                        <FormAlert error=form_error(move_result)/>
                        <SubmitButton label="categories.move" pending=move_action.pending()/>
                    </ActionForm>
                </div>
            </details>
        </li>
    }
}
