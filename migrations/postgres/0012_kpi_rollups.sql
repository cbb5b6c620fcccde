-- KPI rollups (issue 13): each summed KPI figure by quarter hour with a running total, so the
-- command center sums any period over a million orders with two index seeks per figure
-- (`domain::rollup`, `command_center::rollup`). Rolled up only once a quarter hour has settled; the
-- time after `kpi_rollup.rolled_until` is read from the stored rows.

-- One row per figure and non-empty quarter hour: `value` is the figure's sum inside the bucket,
-- `running` its sum over this and every earlier bucket. Appended in time order, never changed.
CREATE TABLE kpi_buckets (
    figure TEXT NOT NULL,
    bucket_at BIGINT NOT NULL,
    value BIGINT NOT NULL,
    running BIGINT NOT NULL,
    PRIMARY KEY (figure, bucket_at)
);

-- Where the rollup ends (a bucket start): every bucket before it is in `kpi_buckets`. NULL until
-- the first rollup. One row; a step moves it with a compare-and-set, so two servers never both
-- append the same buckets.
CREATE TABLE kpi_rollup (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    rolled_until BIGINT
);
INSERT INTO kpi_rollup (id, rolled_until) VALUES (1, NULL);

-- Active sellers (distinct sellers with an order paid in a period) are not a sum: one seek per
-- seller into its paid orders.
CREATE INDEX orders_seller_paid ON orders (organisation_id, paid_at);
