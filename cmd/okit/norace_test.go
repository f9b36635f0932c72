//go:build !race

package main

// raceBuild is false: the tests run without -race (see race_test.go).
const raceBuild = false
