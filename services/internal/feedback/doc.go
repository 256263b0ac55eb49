// Package feedback is PAKN's domain: what citizens report (Item), what the
// district makes of it (Ticket, Reply, Event), who answers (Unit, Official),
// how it is sorted (Category, Ward, Neighbourhood) and by when (Calendar).
//
// It depends on the standard library only. Every other package imports it and
// converts its own types (protobuf, BSON, JSON, forms) to these at its border.
package feedback
