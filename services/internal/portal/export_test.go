package portal

// DecodeEvent exposes the body decoder to the external tests (the fuzz test
// above all), without making it part of the package's API.
var DecodeEvent = decodeEvent
