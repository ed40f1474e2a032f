//! scamguard store
