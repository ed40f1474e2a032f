//! scamguard server
