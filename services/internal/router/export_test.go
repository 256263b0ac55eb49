package router

// FoldClauses gives the external tests the fold that keeps clause breaks,
// which the classifier reads and nothing outside the package needs.
var FoldClauses = foldClauses
