package dev.valuegraph.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.ByteUnit;

/**
 * Starts an embedded Neo4j 5 Community with the Bolt connector on, for local
 * development and tests. Configured from the environment (see scripts/services.sh):
 *
 *   NEO4J_HOME_DIR   where data, transaction logs and the system database live
 *   NEO4J_BOLT_HOST  listen address (default 127.0.0.1)
 *   NEO4J_BOLT_PORT  listen port (default 7687)
 *   NEO4J_PASSWORD   password set for the user neo4j at every start
 *   NEO4J_PAGECACHE_MB page cache size in MiB (default 2048)
 *
 * It runs until SIGTERM/SIGINT, then shuts the database down cleanly.
 */
public final class Launcher {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(env("NEO4J_HOME_DIR", ".state/neo4j")).toAbsolutePath();
        String host = env("NEO4J_BOLT_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("NEO4J_BOLT_PORT", "7687"));
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("launcher: NEO4J_PASSWORD must be set and at least 8 characters long");
            System.exit(2);
        }
        long pageCacheMb = Long.parseLong(env("NEO4J_PAGECACHE_MB", "2048"));
        Files.createDirectories(home);

        long started = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                // No keep-alive NOOPs, hence no "connection.recv_timeout_seconds" hint: with
                // the hint the Go driver reads every chunk of every answer in a goroutine of its
                // own, with a timer, to race it against the hint. Keep-alives guard long queries
                // crossing proxies that drop idle connections; here Bolt is local, TCP keep-alive
                // still finds a dead peer, and queries end at the transaction timeout the
                // application sends with each one.
                .setConfig(BoltConnector.connection_keep_alive_type, BoltConnector.KeepAliveRequestType.OFF)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("launcher: shutting down");
            dbms.shutdown();
            stopped.countDown();
        }, "neo4j-shutdown"));

        try {
            setPassword(dbms, password);
        } catch (RuntimeException e) {
            System.err.println("launcher: could not set the password of user neo4j: " + e.getMessage());
            dbms.shutdown();
            System.exit(1);
        }

        System.out.printf("launcher: neo4j ready on bolt://%s:%d (home %s) in %.1fs%n",
                host, port, home, (System.nanoTime() - started) / 1e9);
        stopped.await();
    }

    /**
     * The password comes from the environment at every start, so the local
     * instance always matches the configuration the Go side reads. Neo4j
     * refuses to "change" a password to the one it already has; that is fine.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (QueryExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().contains("cannot be the same")) {
                throw e;
            }
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }
}
