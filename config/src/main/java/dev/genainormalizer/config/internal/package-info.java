/**
 * Helpers of the config loader: YAML reading with lines, reference expansion, binding and its error
 * translation.
 *
 * <p>Internal API: public only so that other packages of this module can use it. It may change
 * without notice; do not use it from other modules, except {@code Durations} for printing a {@code
 * Duration} the way configs write it.
 */
package dev.genainormalizer.config.internal;
