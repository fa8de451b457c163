package network.subnet.validator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.validator.ValidatorServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The page in a real browser: Debian's chromium driven by its chromedriver through Selenium, against a validator with
 * a RocksDB ledger and credited work. Both paths are given explicitly, so Selenium Manager never looks for (or
 * downloads) a browser or driver. Skipped, with the reason, where chromium is not installed; CI installs it.
 */
class DashboardBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOT = Path.of("target", "web-dashboard.png");

  @TempDir Path dir;

  @Test
  void pageRendersTablesAndThePlotInChromium() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "chromium and chromedriver are not installed (apt-get install chromium chromium-driver); skipping the browser "
            + "test of the web page");
    try (RocksDbStorage storage = RocksDbStorage.open(dir.resolve("ledger"))) {
      WebFixture net = new WebFixture(storage);
      ValidatorServer grpc = new ValidatorServer(net.validator, "127.0.0.1", 0, Clock.systemUTC());
      WebServer web = new WebServer(net.dashboard(), "127.0.0.1", 0);
      grpc.start();
      web.start();
      ChromeDriver browser = null;
      try {
        browser = chromium();
        browser.get(web.url());

        assertThat(browser.getTitle()).isEqualTo("subnet validator");
        List<WebElement> leaders = browser.findElements(By.cssSelector("#leaderboard tbody tr"));
        assertThat(leaders).hasSize(3);
        assertThat(leaders.get(0).getText()).startsWith("1 " + net.a.publicKey().hex());
        assertThat(browser.findElements(By.cssSelector("#shares tbody tr"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#open-tasks tbody tr"))).hasSize(WebFixture.OPEN_TASKS);
        WebElement root = browser.findElement(By.cssSelector("#epochs tbody tr td.root"));
        assertThat(root.getText()).isEqualTo(HexFormat.of().formatHex(net.validator.rewards(0).merkleRoot()));

        WebElement plot = browser.findElement(By.id("work-plot"));
        List<WebElement> verified = plot.findElements(By.cssSelector("circle.point.verified"));
        assertThat(verified).hasSize(3 * Dashboard.HISTORY_BINS);
        assertThat(plot.findElements(By.cssSelector("circle.point.failed"))).hasSize(3 * Dashboard.HISTORY_BINS);
        assertThat(verified).allSatisfy(c -> assertThat(c.isDisplayed()).isTrue());
        assertThat(plot.findElements(By.cssSelector("polyline.series"))).hasSize(6);

        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        Rectangle table = browser.findElement(By.id("leaderboard")).getRect();
        Rectangle chart = plot.getRect();
        assertThat(inkFraction(image, table)).as("ink in the leaderboard's pixels").isGreaterThan(0.02);
        assertThat(inkFraction(image, chart)).as("ink in the plot's pixels").isGreaterThan(0.01);
        // Every miner's colour is drawn: the plot is more than axes and text.
        assertThat(pixelsOf(image, chart, 0x1f77b4)).isGreaterThan(100);
        assertThat(pixelsOf(image, chart, 0xd62728)).isGreaterThan(100);
        assertThat(pixelsOf(image, chart, 0x2ca02c)).isGreaterThan(100);
      } finally {
        if (browser != null) {
          browser.quit();
        }
        web.stop();
        grpc.stop();
      }
    }
  }

  private static ChromeDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // CI runs as root in a container: no sandbox, no /dev/shm assumptions, a fixed viewport at scale 1.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,1400", "--force-device-scale-factor=1", "--hide-scrollbars");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(30))
        .build();
    return new ChromeDriver(service, options);
  }

  /** The fraction of pixels inside {@code r} that are clearly not background. */
  private static double inkFraction(BufferedImage image, Rectangle r) {
    long ink = 0;
    long all = 0;
    for (int y = Math.max(0, r.getY()); y < Math.min(image.getHeight(), r.getY() + r.getHeight()); y++) {
      for (int x = Math.max(0, r.getX()); x < Math.min(image.getWidth(), r.getX() + r.getWidth()); x++) {
        int rgb = image.getRGB(x, y);
        int lum = (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3;
        all++;
        if (lum < 200) {
          ink++;
        }
      }
    }
    assertThat(all).as("pixels of %s inside the screenshot", r).isPositive();
    return (double) ink / all;
  }

  private static long pixelsOf(BufferedImage image, Rectangle r, int rgb) {
    long n = 0;
    for (int y = Math.max(0, r.getY()); y < Math.min(image.getHeight(), r.getY() + r.getHeight()); y++) {
      for (int x = Math.max(0, r.getX()); x < Math.min(image.getWidth(), r.getX() + r.getWidth()); x++) {
        int p = image.getRGB(x, y) & 0xffffff;
        if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) < 24
            && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) < 24
            && Math.abs((p & 0xff) - (rgb & 0xff)) < 24) {
          n++;
        }
      }
    }
    return n;
  }
}
