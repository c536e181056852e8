# bars.gp - One bar per series at its median, whiskers from p5 to p95.
# Variables set by the harness: datafile ("label median p5 p95" lines),
# outbase, plottitle, ylabel_text.
set title plottitle
set ylabel ylabel_text
set style fill solid 0.5 border -1
set boxwidth 0.6
# Medians from microseconds to seconds: a log axis, bars from its floor.
set logscale y 10
set yrange [*:*]
set grid ytics
set key below
set offsets 0.75, 0.75, 0, 0
set xtics rotate by -30
do for [t in "pngcairo svg"] {
	if (t eq "pngcairo") {
		set terminal pngcairo size 900,560 noenhanced font "sans,10"
		set output outbase.".png"
	} else {
		set terminal svg size 900,560 dynamic noenhanced font "sans,10"
		set output outbase.".svg"
	}
	# x:y:ylow:yhigh:width; five columns, or gnuplot reads the fourth
	# as the box width.
	plot datafile using 0:2:3:4:(0.6):xticlabels(1) with boxerrorbars \
		title "median, whiskers p5-p95"
}
