package dev.ich.runtime.problem;

/**
 * A request a service cannot serve: thrown anywhere below a resource, answered as a {@link Problem} by
 * {@link ProblemMappers}. {@code code} is what a program branches on (e.g. {@code NotFound}, {@code InvalidField},
 * a {@code DicomProblem} name), the message is the {@code detail} a person reads.
 */
public class ApiProblem extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiProblem(int status, String code, String detail) {
        this(status, code, detail, null, null);
    }

    public ApiProblem(int status, String code, String detail, String field, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "BadRequest", detail);
    }

    public static ApiProblem invalidField(String field, String detail) {
        return new ApiProblem(422, "InvalidField", detail, field, null);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "NotFound", detail);
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(409, "Conflict", detail);
    }

    public static ApiProblem unavailable(String code, String detail) {
        return new ApiProblem(503, code, detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public Problem problem() {
        Problem p = Problem.of(status, code, getMessage());
        return field == null ? p : p.withField(field);
    }
}
