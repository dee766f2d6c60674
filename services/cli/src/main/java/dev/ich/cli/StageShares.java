package dev.ich.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Seconds per cleaning stage as the service's Prometheus endpoint reports them (ich_cleaning_stage_seconds_sum). */
record StageShares(Map<String, Double> seconds) {
    private static final Pattern SUM = Pattern.compile("^ich_cleaning_stage_seconds_sum\\{[^}]*stage=\"(\\w+)\"[^}]*} ([0-9.Ee+-]+)$",
            Pattern.MULTILINE);

    static StageShares scrape(String managementUrl) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(managementUrl + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Double> s = new LinkedHashMap<>();
        Matcher m = SUM.matcher(r.body());
        while (m.find()) s.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
        return new StageShares(s);
    }

    StageShares minus(StageShares earlier) {
        Map<String, Double> d = new LinkedHashMap<>();
        seconds.forEach((k, v) -> d.put(k, v - earlier.seconds.getOrDefault(k, 0.0)));
        return new StageShares(d);
    }

    @Override
    public String toString() {
        double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        if (total <= 0) return "(no stage timings on /q/metrics)";
        return seconds.entrySet().stream().map(e -> String.format("%s %.0f %%", e.getKey(), 100 * e.getValue() / total))
                .collect(Collectors.joining(", "));
    }
}
