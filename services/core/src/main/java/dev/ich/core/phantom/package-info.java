/**
 * Synthetic head-CT studies (phantoms) with known truth, because no real patient data may be fetched:
 * every later stage (cleaning, cropping, labelling, training) is tested against pixels whose labels,
 * skull box and encoding quirks are known exactly. PixelMed stays inside this package's internals.
 */
package dev.ich.core.phantom;
