//! Mentor-mentee matching: named score factors and an exact capacitated assignment.
//!
//! This crate does no I/O: no database, no clock, no unseeded randomness.
