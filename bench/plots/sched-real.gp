# sched-real.gp - scheduler-sim: CPU shares measured under Linux's CFS
# (busy processes in cgroups) beside the fair share and the simulator's
# credit and fair predictions, one group of bars per domain.
# Variables set by the harness: datafile ("name real_rel fair sim_fair
# sim_credit" lines), outbase, plottitle.
set title plottitle
set ylabel "CPU share (fraction of one CPU)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.6 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set key top left
do for [t in "pngcairo svg"] {
	if (t eq "pngcairo") {
		set terminal pngcairo size 900,560 noenhanced font "sans,10"
		set output outbase.".png"
	} else {
		set terminal svg size 900,560 dynamic noenhanced font "sans,10"
		set output outbase.".svg"
	}
	plot datafile using 2:xticlabels(1) title "Linux CFS, measured (relative)", \
	     '' using 3 title "fair share", \
	     '' using 4 title "simulated fair", \
	     '' using 5 title "simulated credit"
}
