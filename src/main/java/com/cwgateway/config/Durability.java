package com.cwgateway.config;

/** What the gateway does to keep accepted points across a crash ({@code DURABILITY}). */
public enum Durability {
    /** Every request is forced to the spool's log before its 202: a kill -9 loses nothing acknowledged. */
    DISK,
    /** Points are buffered in memory only and written to the spool at shutdown: a kill -9 loses what was buffered. */
    MEMORY
}
