package com.cwgateway.config;

/** How log lines are written ({@code LOG_FORMAT}). */
public enum LogFormat {
    /** One readable line per event. */
    TEXT,
    /** One JSON object per line, for log pipelines. */
    JSON
}
