package newsindex.localnode;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.ClasspathPluginsNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Starts 1..N real Elasticsearch nodes in this JVM (HTTP + transport over Netty, bound to
 * 127.0.0.1 only) and keeps them running until the JVM gets SIGTERM/SIGINT.
 *
 * <pre>
 * java -cp 'lib/*' newsindex.localnode.LocalNode --home DIR [--http-port 9200]
 *      [--transport-port HTTP+100] [--nodes 1] [--cluster-name newsindex-local]
 * </pre>
 * Each option can also be given as a system property {@code -Dnewsindex.es.http-port=...}.
 * Node i (1-based) uses http port base+i-1, transport port tbase+i-1, data dir HOME/data/node-i.
 */
public final class LocalNode {

    /** Plugins loaded from the classpath instead of a distribution's modules/ folder. */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(Netty4Plugin.class, LocalAnalysisPlugin.class, RestStandInsPlugin.class);

    public static final String STARTED_MARKER = "NEWSINDEX-LOCAL-ES STARTED";

    private LocalNode() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        Path home = Path.of(opt(opts, "home", "local-es-home")).toAbsolutePath();
        int httpPort = Integer.parseInt(opt(opts, "http-port", "9200"));
        int transportPort = Integer.parseInt(opt(opts, "transport-port", Integer.toString(httpPort + 100)));
        int nodes = Integer.parseInt(opt(opts, "nodes", "1"));
        String clusterName = opt(opts, "cluster-name", "newsindex-local");
        if (nodes < 1) {
            throw new IllegalArgumentException("--nodes must be >= 1");
        }

        Path config = home.resolve("config");
        Files.createDirectories(config);
        Files.createDirectories(home.resolve("logs"));
        writeLoggingConfig(config);

        List<Environment> envs = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            Settings settings = nodeSettings(home, clusterName, i, nodes, httpPort, transportPort);
            envs.add(InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> "node-1"));
        }
        LogConfigurator.registerErrorListener();
        // %node_name is JVM-wide; with several nodes the thread names still tell them apart
        LogConfigurator.setNodeName(nodes == 1 ? "node-1" : "nodes-1-" + nodes);
        LogConfigurator.setClusterName(clusterName);
        LogConfigurator.configure(envs.get(0), true);

        // registered first so that a SIGTERM during startup still closes what was created
        List<Node> nodeList = new CopyOnWriteArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(nodeList), "local-es-shutdown"));
        long t0 = System.nanoTime();
        startAll(envs, nodeList);

        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println(
            STARTED_MARKER
                + " url=http://127.0.0.1:"
                + httpPort
                + " nodes="
                + nodes
                + " cluster="
                + clusterName
                + " version="
                + org.elasticsearch.Build.current().qualifiedVersion()
                + " pid="
                + ProcessHandle.current().pid()
                + " start_ms="
                + ms
        );
        System.out.flush();
        new CountDownLatch(1).await(); // the shutdown hook does the work; this thread keeps the JVM alive
    }

    static Settings nodeSettings(Path home, String clusterName, int i, int nodes, int httpPort, int transportPort) {
        Settings.Builder b = Settings.builder()
            .put("cluster.name", clusterName)
            .put("node.name", "node-" + i)
            .put("path.home", home.toString())
            .put("path.data", dataPath(home, i).toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("path.repo", home.resolve("snapshots").toString()) // allows "fs" snapshot repositories
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort + i - 1)
            .put("transport.port", transportPort + i - 1)
            // local dev: no disk watermarks, allow wildcard deletes
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.destructive_requires_name", false)
            // several nodes share one heap, so the real-memory parent breaker would trip spuriously
            .put("indices.breaker.total.use_real_memory", false);
        if (nodes == 1) {
            b.put("discovery.type", "single-node");
        } else {
            String seeds = IntStream.range(0, nodes).mapToObj(k -> "127.0.0.1:" + (transportPort + k)).collect(Collectors.joining(","));
            String masters = IntStream.rangeClosed(1, nodes).mapToObj(k -> "node-" + k).collect(Collectors.joining(","));
            b.put("discovery.seed_hosts", seeds);
            // bootstrap only a brand-new cluster; ES warns if this stays set once a cluster has formed
            boolean fresh = IntStream.rangeClosed(1, nodes).noneMatch(k -> Files.exists(dataPath(home, k).resolve("_state")));
            if (fresh) {
                b.put("cluster.initial_master_nodes", masters);
            }
        }
        return b.build();
    }

    static Path dataPath(Path home, int i) {
        return home.resolve("data").resolve("node-" + i);
    }

    /** Starts nodes in parallel: with N>1 each node's start() waits for a quorum of the others. */
    static void startAll(List<Environment> envs, List<Node> nodes) throws Exception {
        for (Environment env : envs) {
            nodes.add(new ClasspathPluginsNode(env, PLUGINS));
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (Node node : nodes) {
            Thread t = new Thread(() -> {
                try {
                    node.start();
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "local-es-start-" + node.settings().get("node.name"));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            closeAll(nodes);
            nodes.clear();
            throw failure.get();
        }
    }

    static void closeAll(List<Node> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        System.out.println("NEWSINDEX-LOCAL-ES stopping " + nodes.size() + " node(s)");
        for (Node node : nodes) {
            try {
                node.prepareForClose();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }
        for (Node node : nodes) {
            try {
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            }
        }
        System.out.println("NEWSINDEX-LOCAL-ES stopped");
        System.out.flush();
    }

    /** Console-only log4j config (the Python side redirects stdout to a log file). */
    static void writeLoggingConfig(Path config) throws java.io.IOException {
        String props = String.join(
            "\n",
            "status = error",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%c{1.}][%node_name]%marker %m%n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.console.ref = console",
            // noisy in a dev node: deprecation warnings are returned to clients as headers anyway
            "logger.deprecation.name = org.elasticsearch.deprecation",
            "logger.deprecation.level = error",
            ""
        );
        Files.writeString(config.resolve("log4j2.properties"), props, StandardCharsets.UTF_8);
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") == false) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                opts.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.length) {
                opts.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("missing value for " + a);
            }
        }
        return opts;
    }

    private static String opt(Map<String, String> opts, String name, String dflt) {
        return opts.getOrDefault(name, System.getProperty("newsindex.es." + name, dflt));
    }
}
