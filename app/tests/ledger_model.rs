//! Property tests of the money model (issue 4): random sequences of checkout, payment (and replayed
//! payment), cancel, ship, confirm and timer ticks, run through the domain's order state machine,
//! commission computation and ledger postings with a durable-timer queue and an injectable clock.
//! After every step the system must agree with a much simpler model computed from the orders' facts:
//!
//! - every posting balances and the trial balance is zero;
//! - stock never goes negative, and stock + what live orders reserved = the initial stock (no
//!   oversell, cancellation gives back exactly what was reserved);
//! - the bank holds exactly the approved payments; buyer clearing holds what was paid for orders
//!   not completed yet; the platform earned exactly the commission of completed orders; each
//!   seller's pending + available is what its completed orders earned net of commission, and
//!   available is exactly the part whose hold has ended;
//! - no order is left pending past its pay-by, shipped past its complete-by; overdue is flagged
//!   exactly when a paid order passed its ship-by;
//! - replaying a payment or a ledger key changes nothing.

use agora_app::domain::commission::{order_commission, Rule};
use agora_app::domain::ledger::{trial_balance, Account, Posting};
use agora_app::domain::money::Currency;
use agora_app::domain::order::{OrderAction, OrderStatus, AUTO_COMPLETE_AFTER_MS, PAY_WITHIN_MS, SHIP_WITHIN_MS};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};

const CUR: Currency = Currency::Usd;
const HOLD_MS: i64 = 7 * 86_400_000;
const SELLERS: usize = 3;

/// Variants: (seller, unit price, initial stock). Few units, so buyers run out and race.
const VARIANTS: [(usize, i64, i64); 6] =
    [(0, 1_999, 3), (0, 250, 5), (1, 10_000, 1), (1, 99, 4), (2, 4_550, 2), (2, 1, 6)];
const SHIPPING: [i64; SELLERS] = [0, 500, 1_000];

fn rules() -> [(i64, Rule); 2] {
    [
        (1, Rule { rate_bps: 1_000, fixed_minor: 30, floor_minor: 50, cap_minor: Some(2_500) }),
        // Seller 2 negotiated a lower rate with no floor.
        (2, Rule { rate_bps: 333, fixed_minor: 0, floor_minor: 0, cap_minor: None }),
    ]
}

fn rule_for(seller: usize) -> (i64, Rule) {
    let r = rules();
    if seller == 2 {
        r[1]
    } else {
        r[0]
    }
}

#[derive(Debug, Clone)]
enum Op {
    Checkout(Vec<(usize, i64)>),
    Pay(usize),
    Cancel(usize),
    Ship(usize),
    Confirm(usize),
    Tick(i64),
}

fn op() -> impl Strategy<Value = Op> {
    let ticks = prop::sample::select(vec![
        60_000,
        PAY_WITHIN_MS - 1,
        PAY_WITHIN_MS + 1,
        86_400_000,
        SHIP_WITHIN_MS,
        AUTO_COMPLETE_AFTER_MS,
        HOLD_MS + 1,
    ]);
    prop_oneof![
        3 => prop::collection::vec((0..VARIANTS.len(), 1i64..4), 1..5).prop_map(Op::Checkout),
        3 => (0usize..16).prop_map(Op::Pay),
        1 => (0usize..24).prop_map(Op::Cancel),
        3 => (0usize..24).prop_map(Op::Ship),
        2 => (0usize..24).prop_map(Op::Confirm),
        2 => ticks.prop_map(Op::Tick),
    ]
}

#[derive(Debug, Clone)]
struct Order {
    checkout: usize,
    seller: usize,
    lines: Vec<(usize, i64)>,
    total: i64,
    commission: i64,
    status: OrderStatus,
    overdue: bool,
    pay_by: i64,
    paid_at: Option<i64>,
    shipped_at: Option<i64>,
    completed_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Payment {
    Pending,
    Approved(i64),
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum JobKind {
    CancelUnpaid,
    FlagOverdue,
    AutoComplete,
    ReleaseHold,
}

/// The system: domain state machine + postings + durable timers, as the services wire them.
#[derive(Default)]
struct Market {
    now: i64,
    stock: Vec<i64>,
    orders: Vec<Order>,
    checkouts: Vec<(Vec<usize>, Payment)>,
    jobs: Vec<(i64, JobKind, usize, bool)>,
    postings: HashMap<String, Posting>,
    balances: BTreeMap<Account, i64>,
}

impl Market {
    fn new() -> Market {
        Market { now: 1_700_000_000_000, stock: VARIANTS.iter().map(|v| v.2).collect(), ..Default::default() }
    }

    /// `platform::ledger::post`: idempotent by key, refusing a different posting under a used key.
    fn post(&mut self, key: String, p: Posting) -> Result<(), &'static str> {
        if let Some(existing) = self.postings.get(&key) {
            return if *existing == p { Ok(()) } else { Err("ledger.key_reused") };
        }
        assert_eq!(p.entries.iter().map(|e| e.amount_minor).sum::<i64>(), 0, "unbalanced {p:?}");
        for e in &p.entries {
            *self.balances.entry(e.account.clone()).or_default() += e.amount_minor;
        }
        self.postings.insert(key, p);
        Ok(())
    }

    fn schedule(&mut self, due: i64, kind: JobKind, target: usize) {
        self.jobs.push((due, kind, target, false));
    }

    /// Checkout: all lines or nothing; one order per seller; stock reserved.
    fn checkout(&mut self, lines: &[(usize, i64)]) -> Result<usize, &'static str> {
        let mut wanted: BTreeMap<usize, i64> = BTreeMap::new();
        for (v, q) in lines {
            *wanted.entry(*v).or_default() += q;
        }
        if wanted.iter().any(|(v, q)| self.stock[*v] < *q) {
            return Err("checkout.out_of_stock");
        }
        let checkout = self.checkouts.len();
        let mut ids = vec![];
        for (seller, shipping) in SHIPPING.iter().enumerate() {
            let mine: Vec<(usize, i64)> =
                wanted.iter().filter(|(v, _)| VARIANTS[**v].0 == seller).map(|(v, q)| (*v, *q)).collect();
            if mine.is_empty() {
                continue;
            }
            let (rule_id, rule) = rule_for(seller);
            let priced: Vec<(i64, Rule, i64)> = mine.iter().map(|(v, q)| (rule_id, rule, VARIANTS[*v].1 * q)).collect();
            let commission: i64 = order_commission(&priced).iter().sum();
            let items: i64 = priced.iter().map(|l| l.2).sum();
            for (v, q) in &mine {
                self.stock[*v] -= q;
            }
            let id = self.orders.len();
            self.orders.push(Order {
                checkout,
                seller,
                lines: mine,
                total: items + shipping,
                commission,
                status: OrderStatus::PendingPayment,
                overdue: false,
                pay_by: self.now + PAY_WITHIN_MS,
                paid_at: None,
                shipped_at: None,
                completed_at: None,
            });
            self.schedule(self.now + PAY_WITHIN_MS, JobKind::CancelUnpaid, id);
            ids.push(id);
        }
        self.checkouts.push((ids, Payment::Pending));
        Ok(checkout)
    }

    fn transition(&mut self, id: usize, action: OrderAction) -> Result<(), &'static str> {
        let o = &self.orders[id];
        let to = o.status.apply(action).map_err(|e| e.code())?;
        let now = self.now;
        match action {
            OrderAction::Pay => {
                self.orders[id].paid_at = Some(now);
                self.schedule(now + SHIP_WITHIN_MS, JobKind::FlagOverdue, id);
            }
            OrderAction::Cancel => {
                for (v, q) in self.orders[id].lines.clone() {
                    self.stock[v] += q;
                }
                self.jobs.iter_mut().filter(|j| j.2 == id).for_each(|j| j.3 = true);
                let checkout = self.orders[id].checkout;
                let all_cancelled = self.checkouts[checkout]
                    .0
                    .iter()
                    .all(|o| *o == id || self.orders[*o].status == OrderStatus::Cancelled);
                if all_cancelled && self.checkouts[checkout].1 == Payment::Pending {
                    self.checkouts[checkout].1 = Payment::Cancelled;
                }
            }
            OrderAction::Ship => {
                self.orders[id].shipped_at = Some(now);
                self.orders[id].overdue = false;
                self.schedule(now + AUTO_COMPLETE_AFTER_MS, JobKind::AutoComplete, id);
            }
            OrderAction::Confirm | OrderAction::AutoComplete => {
                let (seller, total, commission) =
                    (self.orders[id].seller as i64, self.orders[id].total, self.orders[id].commission);
                self.post(
                    format!("order:{id}:completed"),
                    Posting::order_completed(CUR, seller, total, commission).unwrap(),
                )?;
                self.orders[id].completed_at = Some(now);
                self.schedule(now + HOLD_MS, JobKind::ReleaseHold, id);
            }
            _ => unreachable!(),
        }
        self.orders[id].status = to;
        Ok(())
    }

    /// Payment approval: one posting for the checkout, every live order paid. Twice: refused.
    fn pay(&mut self, checkout: usize) -> Result<(), &'static str> {
        match self.checkouts[checkout].1 {
            Payment::Approved(_) => return Err("payments.already_approved"),
            Payment::Cancelled => return Err("payments.cancelled"),
            Payment::Pending => {}
        }
        let live: Vec<usize> = self.checkouts[checkout]
            .0
            .iter()
            .copied()
            .filter(|o| self.orders[*o].status == OrderStatus::PendingPayment)
            .collect();
        let amount: i64 = live.iter().map(|o| self.orders[*o].total).sum();
        self.post(format!("checkout:{checkout}:paid"), Posting::payment_received(CUR, amount).unwrap())?;
        for o in live {
            self.transition(o, OrderAction::Pay)?;
        }
        self.checkouts[checkout].1 = Payment::Approved(amount);
        Ok(())
    }

    /// The worker: every due job once, in due order; handlers check the current state.
    fn tick(&mut self, ms: i64) {
        self.now += ms;
        loop {
            let next = self
                .jobs
                .iter()
                .enumerate()
                .filter(|(_, j)| !j.3 && j.0 <= self.now)
                .min_by_key(|(_, j)| (j.0, j.1))
                .map(|(i, _)| i);
            let Some(i) = next else { break };
            self.jobs[i].3 = true;
            let (_, kind, id, _) = self.jobs[i];
            let status = self.orders[id].status;
            match kind {
                JobKind::CancelUnpaid if status == OrderStatus::PendingPayment => {
                    self.transition(id, OrderAction::Cancel).unwrap()
                }
                JobKind::FlagOverdue if status == OrderStatus::Paid => self.orders[id].overdue = true,
                JobKind::AutoComplete if status == OrderStatus::Shipped => {
                    self.transition(id, OrderAction::AutoComplete).unwrap()
                }
                JobKind::ReleaseHold => {
                    let o = &self.orders[id];
                    let (seller, net) = (o.seller as i64, o.total - o.commission);
                    self.post(format!("order:{id}:hold_released"), Posting::hold_released(CUR, seller, net).unwrap())
                        .unwrap();
                }
                _ => {}
            }
        }
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::Checkout(lines) => {
                let before = self.stock.clone();
                if self.checkout(lines).is_err() {
                    assert_eq!(self.stock, before, "a refused checkout reserved stock");
                }
            }
            Op::Pay(c) if *c < self.checkouts.len() => {
                let postings = self.postings.len();
                let was_approved = matches!(self.checkouts[*c].1, Payment::Approved(_));
                let r = self.pay(*c);
                if was_approved {
                    assert_eq!(r, Err("payments.already_approved"));
                    assert_eq!(self.postings.len(), postings, "a replayed payment posted");
                }
            }
            Op::Cancel(o) if *o < self.orders.len() => {
                let _ = self.transition(*o, OrderAction::Cancel);
            }
            Op::Ship(o) if *o < self.orders.len() => {
                let was = self.orders[*o].status;
                let r = self.transition(*o, OrderAction::Ship);
                if was == OrderStatus::PendingPayment {
                    assert_eq!(r, Err("orders.not_paid"));
                }
            }
            Op::Confirm(o) if *o < self.orders.len() => {
                let _ = self.transition(*o, OrderAction::Confirm);
            }
            Op::Tick(ms) => self.tick(*ms),
            _ => {}
        }
    }
}

/// The simple model: what the ledger, stock and statuses must be, from the orders' facts alone.
fn check(m: &Market) {
    // Ledger: every posting balances, the trial balance is zero.
    for p in m.postings.values() {
        assert_eq!(p.entries.iter().map(|e| e.amount_minor).sum::<i64>(), 0);
    }
    let all: Vec<(Currency, i64)> = m.balances.values().map(|b| (CUR, *b)).collect();
    assert!(trial_balance(&all).iter().all(|(_, t)| *t == 0), "trial balance {:?}", trial_balance(&all));
    let bal = |a: Account| m.balances.get(&a).copied().unwrap_or(0);

    // Stock: never negative, and exactly the initial stock minus what live orders hold.
    for (v, (_, _, initial)) in VARIANTS.iter().enumerate() {
        let held: i64 = m
            .orders
            .iter()
            .filter(|o| o.status != OrderStatus::Cancelled)
            .flat_map(|o| o.lines.iter())
            .filter(|l| l.0 == v)
            .map(|l| l.1)
            .sum();
        assert!(m.stock[v] >= 0, "oversold variant {v}");
        assert_eq!(m.stock[v] + held, *initial, "stock of variant {v}");
    }

    // Money.
    let paid: i64 =
        m.checkouts.iter().filter_map(|c| if let Payment::Approved(a) = c.1 { Some(a) } else { None }).sum();
    let completed = || m.orders.iter().filter(|o| o.status == OrderStatus::Completed);
    let completed_total: i64 = completed().map(|o| o.total).sum();
    assert_eq!(bal(Account::PlatformBank), paid);
    assert_eq!(bal(Account::BuyerClearing), -(paid - completed_total));
    assert_eq!(bal(Account::PlatformCommission), -completed().map(|o| o.commission).sum::<i64>());
    for s in 0..SELLERS {
        let mine = || completed().filter(|o| o.seller == s);
        let earned: i64 = mine().map(|o| o.total - o.commission).sum();
        let released: i64 =
            mine().filter(|o| o.completed_at.unwrap() + HOLD_MS <= m.now).map(|o| o.total - o.commission).sum();
        let (pending, available) = (-bal(Account::SellerPending(s as i64)), -bal(Account::SellerAvailable(s as i64)));
        assert_eq!(pending + available, earned, "seller {s} earnings");
        assert_eq!(available, released, "seller {s} available");
        assert!(pending >= 0 && available >= 0);
    }

    // Orders and timers.
    for (id, o) in m.orders.iter().enumerate() {
        assert!(o.commission >= 0 && o.commission <= o.total, "order {id} commission");
        match o.status {
            OrderStatus::PendingPayment => assert!(o.pay_by > m.now, "order {id} left unpaid past its deadline"),
            OrderStatus::Paid => {
                assert_eq!(o.overdue, o.paid_at.unwrap() + SHIP_WITHIN_MS <= m.now, "order {id} overdue flag")
            }
            OrderStatus::Shipped => {
                assert!(o.shipped_at.unwrap() + AUTO_COMPLETE_AFTER_MS > m.now, "order {id} not auto-completed")
            }
            OrderStatus::Completed => assert!(o.paid_at.is_some() && o.shipped_at.is_some()),
            OrderStatus::Cancelled => assert!(o.paid_at.is_none(), "a paid order was cancelled"),
            other => panic!("unexpected status {other:?}"),
        }
        if matches!(m.checkouts[o.checkout].1, Payment::Approved(_)) && o.status != OrderStatus::Cancelled {
            assert!(o.paid_at.is_some());
        }
    }
    // A posting key is never reused with different entries; replaying one changes nothing.
    let mut replay = Market { now: m.now, ..Market::new() };
    replay.postings = m.postings.clone();
    replay.balances = m.balances.clone();
    for (k, p) in &m.postings {
        replay.post(k.clone(), p.clone()).unwrap();
    }
    assert_eq!(replay.balances, m.balances);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_histories_keep_the_ledger_stock_and_orders_consistent(ops in prop::collection::vec(op(), 1..60)) {
        let mut m = Market::new();
        for op in &ops {
            m.apply(op);
            check(&m);
        }
        // Let every timer run out: nothing is left pending, shipped or held.
        // (The worker runs late after a jump of the clock, so completion happens at the jump's end and
        // the hold starts then: two ticks.)
        m.tick(AUTO_COMPLETE_AFTER_MS + 1);
        check(&m);
        m.tick(HOLD_MS + 1);
        check(&m);
        for o in &m.orders {
            prop_assert!(matches!(o.status, OrderStatus::Cancelled | OrderStatus::Paid | OrderStatus::Completed));
        }
        for s in 0..SELLERS {
            prop_assert_eq!(m.balances.get(&Account::SellerPending(s as i64)).copied().unwrap_or(0), 0);
        }
    }

    #[test]
    fn commission_splits_sum_to_the_charge_and_stay_within_the_lines(
        lines in prop::collection::vec((1i64..3, 0i64..5_000_000), 1..12),
        rate in 0i64..=10_000, fixed in 0i64..10_000, floor in 0i64..10_000, cap in prop::option::of(0i64..1_000_000),
    ) {
        let cap = cap.map(|c| c.max(floor));
        let rule = Rule { rate_bps: rate, fixed_minor: fixed, floor_minor: floor, cap_minor: cap }.validate().unwrap();
        let other = Rule { rate_bps: 500, fixed_minor: 0, floor_minor: 0, cap_minor: None };
        let priced: Vec<(i64, Rule, i64)> = lines.iter().map(|(r, t)| (*r, if *r == 1 { rule } else { other }, *t)).collect();
        let parts = order_commission(&priced);
        for rule_id in [1, 2] {
            let base: i64 = priced.iter().filter(|l| l.0 == rule_id).map(|l| l.2).sum();
            let charged: i64 = priced.iter().zip(&parts).filter(|(l, _)| l.0 == rule_id).map(|(_, c)| *c).sum();
            let r = if rule_id == 1 { rule } else { other };
            prop_assert_eq!(charged, r.charge(base));
            prop_assert!(charged >= 0 && charged <= base);
        }
        for (l, c) in priced.iter().zip(&parts) {
            prop_assert!(*c >= 0 && *c <= l.2);
        }
        let total: i64 = priced.iter().map(|l| l.2).sum();
        let commission: i64 = parts.iter().sum();
        let p = Posting::order_completed(CUR, 1, total, commission);
        prop_assert!(p.is_ok() || total == 0);
    }
}
