/**
 * The Chart.js base of both pages' charts: the components registered once (line charts on
 * linear axes, legend, tooltip, filled bands) and the class itself. The colours come from
 * theme.ts.
 */
import {
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip, Filler);

export { Chart };
