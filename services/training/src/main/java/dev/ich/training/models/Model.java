package dev.ich.training.models;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** A model name with its versions (oldest first) and the version serving, if one of them does. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Model(String name, String serving, List<ModelVersion> versions) {
}
