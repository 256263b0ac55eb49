// Package metrics holds PAKN's Prometheus instruments on a registry of its
// own (never the global one), so that tests and several servers in one
// process do not collide.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is every instrument PAKN exports at /metrics.
type Metrics struct {
	reg *prometheus.Registry

	// ItemsAccepted counts items an adapter took in and validated, by channel.
	ItemsAccepted *prometheus.CounterVec
	// ItemsPublished counts items JetStream acknowledged, by channel.
	ItemsPublished *prometheus.CounterVec
	// ItemsRouted counts tickets the router stored, by outcome (assigned, triage, duplicate).
	ItemsRouted *prometheus.CounterVec
	// ItemsFailed counts failures, by stage (publish, route, dead_letter, notify).
	ItemsFailed *prometheus.CounterVec
	// Notifications counts answers delivered to citizens, by channel and result.
	Notifications *prometheus.CounterVec
	// HTTPDuration observes request latency by route, method and status.
	HTTPDuration *prometheus.HistogramVec
}

// New makes the instruments on a fresh registry with Go and process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		ItemsAccepted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pakn_items_accepted_total", Help: "Items taken in and validated by a channel adapter.",
		}, []string{"channel"}),
		ItemsPublished: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pakn_items_published_total", Help: "Items acknowledged by JetStream.",
		}, []string{"channel"}),
		ItemsRouted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pakn_items_routed_total", Help: "Items the router turned into tickets, by outcome.",
		}, []string{"outcome"}),
		ItemsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pakn_items_failed_total", Help: "Failures by stage.",
		}, []string{"stage"}),
		Notifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pakn_notifications_total", Help: "Answers sent back to citizens, by channel and result.",
		}, []string{"channel", "result"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pakn_http_request_duration_seconds",
			Help:    "HTTP request latency.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method", "code"}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.ItemsAccepted, m.ItemsPublished, m.ItemsRouted, m.ItemsFailed, m.Notifications, m.HTTPDuration,
	)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}
